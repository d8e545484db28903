// The smallest useful playbook: release a new version of a service's configuration, keeping a
// backup that the rollback restores. The embedding example (README, "Embedding") runs it from Java.
playbook('config-release') {
    description 'Write a new app.conf and check it; restore the old one if the check fails'

    param 'version', String, required: true

    phase('backup') {
        backupFiles 'config', path: vars.configDir
    }
    phase('release') {
        command('write', shell: "printf 'version=%s\\n' \"\$VERSION\" > app.conf",
                dir: vars.configDir, env: [VERSION: params.version])
    }
    verify {
        // The service only accepts full semantic versions: a config it would reject fails the run.
        command('check', args: ['grep', '-Eqx', 'version=[0-9]+[.][0-9]+[.][0-9]+', 'app.conf'], dir: vars.configDir) {
            readOnly()
        }
    }
}
