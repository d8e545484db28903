package io.lockstep.dsl

import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunOptions
import io.lockstep.engine.RunResult
import io.lockstep.engine.RunStatus
import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Playbook
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * {@code onRollback('name') { stepType ... }} does nothing when the run passes it; a rollback that
 * reaches it runs the step inside. So a playbook orders a rollback's first moves after a step
 * whose own undo must wait for them: stop the new portal and restore its database before a Helm
 * release is upgraded back (the troubleshooting guide's order).
 */
class OnRollbackSpec extends Specification {

    @TempDir
    Path dir

    private static final String PLAYBOOK = '''
        playbook('p') {
            phase('upgrade') {
                command('release', args: ['touch', 'released']) {
                    compensate { command args: ['sh', '-c', 'echo release-undone >> trace'] }
                }
                onRollback('restore-database', 'restore the database before the previous release',
                        dataLoss: 'writes after the backup') {
                    command args: ['sh', '-c', 'echo database-restored >> trace']
                }
                onRollback('stop-portal') {
                    command args: ['sh', '-c', 'echo portal-stopped >> trace']
                }
                command('check', args: ['sh', '-c', "test \\"$FAIL\\" != yes"]) { readOnly() }
            }
        }'''

    private Playbook load(String text = PLAYBOOK.replace('$FAIL', 'no')) {
        Files.writeString(dir.resolve('p.groovy'), text)
        PlaybookLoader.create().load(dir.resolve('p.groovy'), null, [:])
    }

    /** Runs the playbook with its last check failing or passing. */
    private RunResult run(boolean fail) {
        Playbook playbook = load(PLAYBOOK.replace('$FAIL', fail ? 'yes' : 'no'))
        Lockstep engine = Lockstep.builder().store(new FileJournalStore(dir.resolve('journal'))).build()
        engine.run(playbook, RunOptions.DEFAULTS)
    }

    def "the plan shows the step as doing nothing now, with its undo"() {
        when:
        def steps = load().root().children()[0].children()

        then:
        steps*.id() == ['upgrade/release', 'upgrade/restore-database', 'upgrade/stop-portal', 'upgrade/check']
        steps[1].type() == 'onRollback'
        steps[1].description() == 'nothing now; where a rollback reaches this point, it runs the undo below'
        steps[1].compensation().kind() == Compensation.Kind.ACTION
        steps[1].compensation().description() == 'restore the database before the previous release'
        steps[1].compensation().dataLossWarning() == 'writes after the backup'
        steps[2].compensation().description() == 'run [sh, -c, echo portal-stopped >> trace]'
    }

    def "a rollback runs the undos last first, the onRollback steps before the release's own"() {
        when:
        RunResult result = run(true)

        then:
        result.status() == RunStatus.ROLLED_BACK
        result.compensated() == ['upgrade/stop-portal', 'upgrade/restore-database', 'upgrade/release']
        Files.readAllLines(dir.resolve('trace')) == ['portal-stopped', 'database-restored', 'release-undone']
    }

    def "a run that succeeds does nothing at the onRollback steps"() {
        when:
        RunResult result = run(false)

        then:
        result.status() == RunStatus.SUCCEEDED
        !Files.exists(dir.resolve('trace'))
        result.outputs()['upgrade/stop-portal'] == [:]
    }

    def "onRollback needs exactly one step call inside"() {
        when:
        load('''
            playbook('p') {
                onRollback('nothing') { }
            }''')

        then:
        PlaybookException e = thrown()
        e.problems()*.line() == [3]
    }
}
