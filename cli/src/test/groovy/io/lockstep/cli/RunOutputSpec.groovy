package io.lockstep.cli

import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.engine.Lockstep
import io.lockstep.engine.RunOptions
import io.lockstep.engine.model.Action
import io.lockstep.engine.model.ApprovalGate
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Step
import io.lockstep.engine.journal.FileJournalStore
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/**
 * Runs playbooks built in Java on the real engine and file store, and checks what the CLI prints
 * about them: progress lines, the outcome with its next commands, status, history, JSON.
 */
class RunOutputSpec extends Specification {

    static final String TIME = /\d\d:\d\d:\d\d/

    @TempDir
    Path dir

    ByteArrayOutputStream outBytes = new ByteArrayOutputStream()
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream()
    Terminal terminal = new Terminal(new PrintStream(outBytes, true, 'UTF-8'), new PrintStream(errBytes, true, 'UTF-8'), true, false)
    List<String> trace = [].asSynchronized()

    def "a failed run prints its progress, the compensations last first, and exits 3"() {
        given:
        def progress = new PlainProgress(terminal)
        def engine = engine(progress)
        def playbook = playbook(step('backup/data'), step('upgrade/switch'), failing('upgrade/start'))

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS)
        def code = new Outcome(terminal, options(false)).conclude(engine, playbook, result)
        def lines = out().readLines()

        then:
        code == 3
        trace == ['do backup/data', 'do upgrade/switch', 'do upgrade/start', 'undo upgrade/switch', 'undo backup/data']
        lines.findAll { it ==~ /$TIME  .*/ }.collect { it.substring(10).replaceAll(/\d+\.\d+s/, 'Ns') } == [
            "▶ run ${result.runId()}  spec@test".toString(),
            '→ backup/data',
            '✓ backup/data  Ns',
            '→ upgrade/switch',
            '✓ upgrade/switch  Ns',
            '→ upgrade/start',
            '✗ upgrade/start  Ns  disk full',
            '↺ rollback  upgrade/start failed: disk full',
            '↺ compensate upgrade/switch',
            '↺ ✓ undone upgrade/switch  Ns',
            '↺ compensate backup/data',
            '↺ ✓ undone backup/data  Ns',
            "■ run ${result.runId()} rolled-back".toString(),
        ]
        lines.contains("✗ run ${result.runId()} failed at upgrade/start: disk full".toString())
        lines.any { it ==~ /↺ rolled back in \d+\.\ds: undone upgrade\/switch, backup\/data/ }

        and: 'the report is written into the run artifacts'
        def report = dir.resolve("store/runs/${result.runId()}")
        def reportLine = lines.find { it.startsWith('  report: ') }
        reportLine.endsWith('report.html (and report.md)')
        Path html = Path.of(reportLine.substring('  report: '.length(), reportLine.indexOf(' (and')))
        Files.readString(html).contains('<h2>Rollback</h2>')
        Files.readString(html.resolveSibling('report.md')).contains('1. `upgrade/switch`\n2. `backup/data`')
    }

    def "a run paused at a gate prints the exact approve command and exits 10"() {
        given:
        def engine = engine(null)
        def playbook = playbook(step('backup/data'), new ApprovalGate('go-live', 'go-live', 'switch traffic?'), step('upgrade/switch'))

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS)
        def code = new Outcome(terminal, options(true)).conclude(engine, playbook, result)

        then:
        code == 10
        out().contains("⏸ run ${result.runId()} paused at approval gate go-live: waiting for approval of go-live\n")
        out().contains("  to continue: lockstep approve ${result.runId()} go-live --store ${dir.resolve('store')}\n")
    }

    def "a failed run without rollback prints how to undo or retry it and exits 5"() {
        given:
        def engine = engine(null)
        def playbook = playbook(step('backup/data'), failing('upgrade/start'))

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS.withRollbackOnFailure(false))
        def code = new Outcome(terminal, options(false)).conclude(engine, playbook, result)

        then:
        code == 5
        trace == ['do backup/data', 'do upgrade/start']
        out().contains("  to undo them:          lockstep rollback ${result.runId()}\n")
        out().contains("  to retry after a fix:  lockstep resume ${result.runId()}\n")
    }

    def "with --json every event is one JSON object per line, then the result"() {
        given:
        def engine = engine(new JsonProgress(terminal.out()))
        def playbook = playbook(step('backup/data'), failing('upgrade/start'))

        when:
        def result = engine.run(playbook, RunOptions.DEFAULTS)
        def code = new Outcome(terminal, options(false, true)).conclude(engine, playbook, result)
        def objects = out().readLines().collect { parse(it) }

        then:
        code == 3
        objects*.type == ['RUN_STARTED', 'STEP_STARTED', 'STEP_FINISHED', 'STEP_STARTED', 'STEP_FAILED',
                          'ROLLBACK_STARTED', 'COMPENSATION_STARTED', 'COMPENSATION_FINISHED', 'RUN_FINISHED', 'RUN_RESULT']
        objects[2].stepId == 'backup/data'
        objects[2].outputs == [done: 'backup/data']
        objects[4].message == 'disk full'
        objects.last().status == 'ROLLED_BACK'
        objects.last().exitCode == 3
        objects.last().compensated == ['backup/data']
        objects.every { it.type == 'RUN_RESULT' || it.at ==~ /\d{4}-\d\d-\d\dT.*Z/ }

        and: 'sentences for people go to stderr'
        err().contains("✗ run ${result.runId()} failed at upgrade/start: disk full")
    }

    def "status shows the header, each step and the journal; --json gives the run view"() {
        given:
        def engine = engine(null)
        def result = engine.run(playbook(step('backup/data'), failing('upgrade/start')), RunOptions.DEFAULTS)
        def cli = new CliFixture(store: dir.resolve('store'))

        when:
        def text = cli.run('status', result.runId())
        def latest = cli.run('status')
        def json = cli.run('status', '--json')

        then:
        text.code == 0
        latest.out == text.out
        text.out.startsWith("Run       ${result.runId()}\nPlaybook  spec @ test\n")
        text.out.contains('Status    rolled-back  upgrade/start failed: disk full; rolled back: 1 steps undone')
        text.out =~ /(?m)^  STEP +STATE +ATTEMPTS +DURATION +UNDO$/
        text.out =~ /(?m)^  backup\/data +✓ finished +1 +\d+\.\ds +undone$/
        text.out =~ /(?m)^  upgrade\/start +✗ failed +1 +- +-$/
        text.out.contains('  ✗ upgrade/start: disk full')
        journalTypes(text.out) == ['RUN_STARTED', 'STEP_STARTED', 'STEP_FINISHED', 'STEP_STARTED', 'STEP_FAILED',
                                   'ROLLBACK_STARTED', 'RUN_STATUS', 'COMPENSATION_STARTED', 'COMPENSATION_FINISHED', 'RUN_STATUS']

        and:
        def view = parse(json.out)
        view.header.runId == result.runId()
        view.status == 'ROLLED_BACK'
        view.steps*.stepId == ['backup/data', 'upgrade/start']
        view.records*.seq == (1..view.records.size()).toList()
    }

    def "history lists runs newest first"() {
        given:
        def engine = engine(null)
        def first = engine.run(playbook(step('a')), RunOptions.DEFAULTS)
        Thread.sleep(1100) // run ids sort by their start second
        def second = engine.run(playbook(failing('b')), RunOptions.DEFAULTS)
        def cli = new CliFixture(store: dir.resolve('store'))

        when:
        def table = cli.run('history')
        def json = cli.run('history', '--json')

        then:
        table.code == 0
        def rows = table.out.readLines()
        rows[0] ==~ /RUN +PLAYBOOK@ENV +STARTED +BY +STATUS/
        rows[1] ==~ /${second.runId()} +spec@test +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\S+ +rolled-back/
        rows[2] ==~ /${first.runId()} +spec@test +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\S+ +succeeded/
        json.out.readLines().collect { parse(it) }*.status == ['rolled-back', 'succeeded']
    }

    def "a run started from code cannot be resumed from the command line"() {
        given:
        def result = engine(null).run(playbook(step('a'), new ApprovalGate('go', 'go', 'ok?')), RunOptions.DEFAULTS)

        when:
        def resumed = new CliFixture(store: dir.resolve('store')).run('resume', result.runId())

        then:
        resumed.code == 2
        resumed.err == "error: run ${result.runId()} was started from a playbook built in code, not from a file\n" +
            'hint: continue it from the program that started it\n'
    }

    private static Object parse(String json) {
        new ObjectMapper().readValue(json, Object)
    }

    private static List<String> journalTypes(String statusOutput) {
        def journal = statusOutput.substring(statusOutput.indexOf('Journal\n'))
        journal.readLines().drop(2).findAll { it.trim() }.collect { it.trim().split(/ +/)[2] }
    }

    private String out() {
        outBytes.toString(StandardCharsets.UTF_8)
    }

    private String err() {
        errBytes.toString(StandardCharsets.UTF_8)
    }

    private Lockstep engine(Progress progress) {
        def builder = Lockstep.builder().store(new FileJournalStore(dir.resolve('store')))
        if (progress != null) {
            builder.listener(progress)
        }
        builder.build()
    }

    private CommonOptions options(boolean explicitStore, boolean json = false) {
        def options = new CommonOptions()
        options.json = json
        if (explicitStore) {
            options.store = dir.resolve('store')
        }
        options
    }

    private Step step(String id) {
        Step.builder(id, { ctx -> trace << "do $id".toString(); [done: id] } as Action)
            .compensation(Compensation.of("undo $id", { ctx -> trace << "undo $id".toString(); [:] } as Action))
            .build()
    }

    private Step failing(String id) {
        Step.builder(id, { ctx -> trace << "do $id".toString(); throw new IllegalStateException('disk full') } as Action)
            .compensation(Compensation.of("undo $id", { ctx -> trace << "undo $id".toString(); [:] } as Action))
            .build()
    }

    private static Playbook playbook(io.lockstep.engine.model.Node... nodes) {
        Playbook.of('spec', 'test', new Group('', '', Group.Kind.SEQUENCE, nodes.toList()))
    }
}
