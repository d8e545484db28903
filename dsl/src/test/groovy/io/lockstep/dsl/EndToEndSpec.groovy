package io.lockstep.dsl

import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.model.Playbook
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** A playbook loaded with the built-in step types from the class path and run by the real engine. */
class EndToEndSpec extends Specification {

    @TempDir
    Path dir

    Lockstep engine

    def setup() {
        Files.createDirectories(dir.resolve('service/current'))
        Files.createDirectories(dir.resolve('service/data'))
        Files.createDirectories(dir.resolve('logs'))
        Files.writeString(dir.resolve('service/current/VERSION'), '1.0\n')
        Files.writeString(dir.resolve('service/data/db.txt'), 'old')
        Files.writeString(dir.resolve('env.groovy'), '''
            environment('local') {
                vars { serviceDir = 'service' }
                targets {
                    target 'a', roles: ['host']
                    target 'b', roles: ['host']
                    target 'c', roles: ['host']
                }
            }''')
        Files.writeString(dir.resolve('upgrade.groovy'), '''
            playbook('e2e') {
                param 'version', String, required: true
                preflight {
                    command 'current-version', args: ['cat', "${vars.serviceDir}/current/VERSION"]
                }
                phase('backup') {
                    backupFiles 'data', path: "${vars.serviceDir}/data"
                }
                phase('upgrade') {
                    step('write-data') {
                        run { ctx ->
                            Path file = ctx.baseDir().resolve("${vars.serviceDir}/data/db.txt")
                            String previous = Files.readString(file)
                            Files.writeString(file, "new ${params.version}")
                            [previous: previous]
                        }
                        compensate {
                            run { ctx -> Files.writeString(ctx.baseDir().resolve("${vars.serviceDir}/data/db.txt"), ctx.ownOutputs().previous) }
                        }
                    }
                    rolling('hosts', over: targets(role: 'host'), batches: [1, '50%']) { t ->
                        command 'mark', args: ['touch', "marker-${t.name}"]
                    }
                }
                verify {
                    assertLogClean 'log', file: 'logs/service.log'
                }
            }''')
        engine = Lockstep.builder().store(new FileJournalStore(dir.resolve('journal'))).build()
    }

    private Playbook load() {
        PlaybookLoader.create().load(dir.resolve('upgrade.groovy'), dir.resolve('env.groovy'), [version: '2.0'])
    }

    def "a clean run applies every step, with outputs from built-in and Groovy steps"() {
        given:
        Files.writeString(dir.resolve('logs/service.log'), '2024-01-01T00:00:00Z started\n')

        when:
        RunResult result = engine.run(load(), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.SUCCEEDED
        result.outputs()['preflight/current-version'].stdout == '1.0'
        result.outputs()['upgrade/write-data'] == [previous: 'old']
        Files.readString(dir.resolve('service/data/db.txt')) == 'new 2.0'
        ['a', 'b', 'c'].every { Files.exists(dir.resolve("marker-$it")) }
    }

    def "an unclean log rolls back: the Groovy compensation, then the backup's restore"() {
        given:
        Files.writeString(dir.resolve('logs/service.log'), '2024-01-01T00:00:00Z [error] boom\n')

        when:
        RunResult result = engine.run(load(), RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.failedStep() == 'verify/log'
        result.compensated() == ['upgrade/write-data', 'backup/data']
        Files.readString(dir.resolve('service/data/db.txt')) == 'old'
    }

    def "a step reads an earlier step's output at run time, and so does a compensation during the rollback"() {
        given:
        Files.writeString(dir.resolve('refs.groovy'), '''
            playbook('refs') {
                preflight {
                    command('current-version', args: ['cat', 'service/current/VERSION']) { readOnly() }
                }
                phase('upgrade') {
                    command('note', args: ['touch', "noted-${output('preflight/current-version', 'stdout')}"]) {
                        compensate { command args: ['touch', "back-to-${output('preflight/current-version', 'stdout')}"] }
                    }
                    command 'fail', args: ['false']
                }
            }''')
        Playbook refs = PlaybookLoader.create().load(dir.resolve('refs.groovy'), null, [:])

        expect: 'the plan shows the reference'
        refs.root().children()[1].children()[0].arguments().args == ['touch', 'noted-${output:preflight/current-version.stdout}']

        when:
        RunResult result = engine.run(refs, RunOptions.DEFAULTS)

        then:
        result.status() == RunStatus.ROLLED_BACK
        Files.exists(dir.resolve('noted-1.0'))
        Files.exists(dir.resolve('back-to-1.0'))
    }
}
