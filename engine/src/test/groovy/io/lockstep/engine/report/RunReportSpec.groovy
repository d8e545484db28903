package io.lockstep.engine.report

import io.lockstep.engine.RunStatus
import io.lockstep.engine.RunView
import io.lockstep.engine.RunView.Compensated
import io.lockstep.engine.RunView.State
import io.lockstep.engine.RunView.StepView
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Step
import io.lockstep.engine.spi.JournalRecord
import io.lockstep.engine.spi.RecordType
import io.lockstep.engine.spi.RunHeader
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

class RunReportSpec extends Specification {

    static final Instant T0 = Instant.parse('2025-03-01T12:00:00Z')

    @TempDir
    Path dir

    def "a rolled-back run reports its failure, the compensations in order and what was not undone"() {
        given:
        def report = RunReport.of(rolledBackView()).withPlaybook(playbook())

        when:
        def md = report.toMarkdown()

        then:
        md.startsWith('# demo-upgrade@local — run r-1\n')
        md.contains('| Status | **rolled-back** — verify/version failed |')
        md.contains('| `version` | `1.1.0` |')
        md.contains('| `breakHealthCheck` | `true` |')
        md.contains('## Failure')
        md.contains('- `verify/version` failed:\n\n```text\nexpected 1.1.0, got 503\n```')
        md.contains('| 4 | `upgrade/switch` |  | finished | 1 | 2025-03-01T12:00:04Z | 1.0s | undone |')
        md.contains('| 6 | `verify/version` |  | failed | 3 | 2025-03-01T12:00:06Z | 2.0s | - |')

        and: 'the compensations in the order they ran'
        def undone = md.substring(md.indexOf('Undone, in this order:'), md.indexOf('Not undone'))
        undone.readLines().findAll { it ==~ /\d\. .*/ } == [
            '1. `upgrade/start`', '2. `upgrade/switch`', '3. `backup/data`', '4. `quiesce/stop`']

        and: 'an irreversible step is named with its reason, a check is not called a remaining effect'
        md.contains('- `upgrade/notify` — irreversible: the mail is sent')
        md.contains('Nothing to undo (checks): `preflight/answers`')

        and: 'outputs and the journal'
        md.contains('### `backup/data`\n\n- `path`: `/var/backups/store.txt`\n- `sha256`: `abc123`')
        md.contains('| 1 | 2025-03-01T12:00:00Z | RUN_STARTED |  |')
        md.contains('| COMPENSATION_FINISHED | `quiesce/stop` |')
    }

    def "a succeeded run has no rollback section"() {
        given:
        def view = view(RunStatus.SUCCEEDED, 'done', [step('preflight/answers', 0, 1, State.FINISHED)], [])

        when:
        def md = RunReport.of(view).toMarkdown()
        def html = RunReport.of(view).toHtml()

        then:
        md.contains('**succeeded**')
        !md.contains('## Rollback')
        !md.contains('## Failure')
        html.contains('<span class="status ok">succeeded</span>')
        !html.contains('<h2>Rollback</h2>')
    }

    def "HTML is self-contained and escapes every value"() {
        given:
        def evil = '<script>alert("x")</script> & \'q\''
        def view = view(RunStatus.FAILED, evil,
            [step('upgrade/start', 0, 1, State.FAILED, [:], evil)], [])

        when:
        def html = RunReport.of(view).toHtml()

        then:
        !html.contains('<script>')
        html.contains('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;')
        !html.contains('src=')
        !html.contains('href=')
        html.startsWith('<!DOCTYPE html>')
        html.contains('<style>')
    }

    def "Markdown keeps tables intact whatever the values contain"() {
        given:
        def view = view(RunStatus.FAILED, 'a | b\nc',
            [step('upgrade/start', 0, 1, State.FINISHED, [cmd: 'echo `x` | tee <y>'])], [])

        when:
        def md = RunReport.of(view).toMarkdown()

        then:
        md.contains('| Status | **failed** — a \\| b<br>c |')
        md.contains('- `cmd`: ``echo `x` \\| tee <y>``')
    }

    def "without the playbook a finished step left in place is reported as not rolled back"() {
        given:
        def view = view(RunStatus.FAILED, 'stopped',
            [step('upgrade/stop', 0, 1, State.FINISHED), step('upgrade/start', 1, 2, State.FAILED, [:], 'boom')], [])

        when:
        def md = RunReport.of(view).toMarkdown()

        then:
        md.contains('Nothing was undone.')
        md.contains('- `upgrade/stop` — not rolled back')
    }

    def "writeTo writes report.md and report.html"() {
        given:
        def report = RunReport.of(rolledBackView())

        when:
        def written = report.writeTo(dir.resolve('artifacts'))

        then:
        written.markdown() == dir.resolve('artifacts/report.md')
        written.html() == dir.resolve('artifacts/report.html')
        Files.readString(written.markdown()) == report.toMarkdown()
        Files.readString(written.html()).contains('<h2>Rollback</h2>')
    }

    private static RunView rolledBackView() {
        def steps = [
            step('preflight/answers', 0, 1, State.FINISHED),
            step('quiesce/stop', 1, 2, State.FINISHED, [:], null, Compensated.DONE),
            step('backup/data', 2, 3, State.FINISHED, [path: '/var/backups/store.txt', sha256: 'abc123'], null, Compensated.DONE),
            step('upgrade/switch', 4, 5, State.FINISHED, [previous: '1.0.0'], null, Compensated.DONE),
            step('upgrade/start', 5, 6, State.FINISHED, [:], null, Compensated.DONE),
            step('verify/version', 6, 8, State.FAILED, [:], 'expected 1.1.0, got 503', Compensated.NO, 3),
            step('upgrade/notify', 8, 9, State.FINISHED),
        ]
        def extra = [
            [RecordType.ROLLBACK_STARTED, null],
            [RecordType.COMPENSATION_STARTED, 'upgrade/start'], [RecordType.COMPENSATION_FINISHED, 'upgrade/start'],
            [RecordType.COMPENSATION_STARTED, 'upgrade/switch'], [RecordType.COMPENSATION_FINISHED, 'upgrade/switch'],
            [RecordType.COMPENSATION_STARTED, 'backup/data'], [RecordType.COMPENSATION_FINISHED, 'backup/data'],
            [RecordType.COMPENSATION_STARTED, 'quiesce/stop'], [RecordType.COMPENSATION_FINISHED, 'quiesce/stop'],
        ]
        view(RunStatus.ROLLED_BACK, 'verify/version failed', steps, extra)
    }

    private static Playbook playbook() {
        def noop = { ctx -> [:] } as io.lockstep.engine.model.Action
        def undo = Compensation.of('undo', noop)
        def steps = [
            Step.builder('preflight/answers', noop).build(),
            Step.builder('quiesce/stop', noop).compensation(undo).build(),
            Step.builder('backup/data', noop).compensation(undo).build(),
            Step.builder('upgrade/switch', noop).compensation(undo).build(),
            Step.builder('upgrade/start', noop).compensation(undo).build(),
            Step.builder('verify/version', noop).build(),
            Step.builder('upgrade/notify', noop).compensation(Compensation.irreversible('the mail is sent')).build(),
        ]
        Playbook.of('demo-upgrade', 'local', new Group('', '', Group.Kind.SEQUENCE, steps))
    }

    private static StepView step(String id, int start, int end, State state, Map outputs = [:],
                                 String error = null, Compensated compensated = Compensated.NO, int attempts = 1) {
        new StepView(id, state, attempts, T0.plusSeconds(start), T0.plusSeconds(end), outputs, error, compensated)
    }

    private static RunView view(RunStatus status, String message, List<StepView> steps, List extra) {
        def header = new RunHeader('r-1', 'demo-upgrade', 'local', '/p/upgrade.groovy', '/p/env/local.groovy',
            'fp', [version: '1.1.0', breakHealthCheck: true], T0, 'alice')
        def records = [new JournalRecord(1, T0, RecordType.RUN_STARTED, null, header.toData())]
        long seq = 2
        steps.each { s ->
            records << new JournalRecord(seq++, s.startedAt(), RecordType.STEP_STARTED, s.stepId(), [attempt: 1])
            records << new JournalRecord(seq++, s.finishedAt(),
                s.state() == State.FAILED ? RecordType.STEP_FAILED : RecordType.STEP_FINISHED, s.stepId(), [:])
        }
        extra.each { type, id ->
            records << new JournalRecord(seq++, T0.plusSeconds(10 + seq), type, id, [:])
        }
        records << new JournalRecord(seq, T0.plusSeconds(30), RecordType.RUN_STATUS, null, [status: status.name()])
        new RunView(header, status, message, steps, records)
    }
}
