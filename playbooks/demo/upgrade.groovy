// Upgrades the demo service (service/DemoService.java) on this machine, and rolls it back
// automatically when the new release is unhealthy. `bin/demo` installs the service and runs this.
//
//   lockstep plan playbooks/demo/upgrade.groovy -e local
//   lockstep run  playbooks/demo/upgrade.groovy -e local [-p version=1.1.0] [-p breakHealthCheck=true]
//
// The new release migrates the data file forward on its first start, and the old release cannot
// read the migrated file. So the order matters: the service is stopped before the backup (a
// consistent copy), and in a rollback, which runs compensations last step first, the new release
// is stopped, `current` is switched back and the data restored before the old release starts.

playbook('demo-upgrade') {
    description 'Upgrade the local demo service; roll back automatically when it is unhealthy'

    param 'version', String, default: '1.1.0'
    // Makes the new release start but answer 503: shows the automatic rollback.
    param 'breakHealthCheck', Boolean, default: false

    // Relative paths resolve against this file's directory.
    String home = vars.home
    String base = "http://127.0.0.1:${vars.port}"
    List<String> service = ['java', '-cp', "${home}/current/classes".toString(), 'DemoService']

    preflight {
        httpCheck 'answers', url: "${base}/health", retries: 3, interval: '500ms'
        httpCheck 'old-version', url: "${base}/version"
    }

    phase('stop') {
        command('service', args: service + ['stop', '--home', home]) {
            compensate('start the release `current` points to') {
                command args: service + ['start', '--home', home, '--port', "${vars.port}"]
            }
        }
    }

    phase('backup') {
        backupFiles 'data', path: "${home}/data"
    }

    phase('upgrade') {
        step('switch') {
            label "switch current to ${params.version}"
            run { ctx ->
                def root = ctx.baseDir().resolve(home)
                def link = root.resolve('current')
                def previous = link.toRealPath().fileName.toString()
                def target = root.resolve("releases/${params.version}")
                if (!java.nio.file.Files.isDirectory(target)) {
                    throw new IllegalStateException("no release ${params.version} in ${root.resolve('releases')}")
                }
                repoint(link, "releases/${params.version}")
                ctx.log("current: ${previous} -> ${params.version}")
                [previous: previous, current: params.version]
            }
            compensate('switch current back to the previous release') {
                run { ctx ->
                    def previous = ctx.ownOutputs().previous
                    repoint(ctx.baseDir().resolve(home).resolve('current'), "releases/${previous}")
                    ctx.log("current: back to ${previous}")
                }
            }
        }
        command('start', args: service + ['start', '--home', home, '--port', "${vars.port}",
                                          '--fault', "${params.breakHealthCheck}"]) {
            compensate('stop the new release') {
                command args: service + ['stop', '--home', home]
            }
        }
    }

    verify {
        httpCheck 'version', url: "${base}/version", expectBody: "^${params.version}\$",
                retries: 10, interval: '500ms'
        assertLogClean 'log', file: "${home}/logs/service.log", since: 'upgrade/start',
                expect: ["started version ${params.version}"]
    }
}

/** Points a symbolic link at a new target atomically: a new link, renamed over the old one. */
static void repoint(java.nio.file.Path link, String target) {
    def next = link.resolveSibling(link.fileName.toString() + '.next')
    java.nio.file.Files.deleteIfExists(next)
    java.nio.file.Files.createSymbolicLink(next, java.nio.file.Path.of(target))
    java.nio.file.Files.move(next, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE)
}
