playbook('p') {
    phase('backup') {
        backupFiles 'data', path: 'build/data', kepe: 2
    }
}
