package io.lockstep.engine.crash

import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.spi.JournalRecord
import io.lockstep.engine.spi.RecordType
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A child JVM runs a playbook against the file journal and is killed with SIGKILL after each journal
 * record in turn (and inside actions); a resume in a new JVM must then finish the run without running
 * a finished step or a finished compensation twice, deciding in-doubt steps by the rules.
 */
class CrashSpec extends Specification {

    static final int FORWARD_RECORDS = 10  // RUN_STARTED, 4 x (started, finished), RUN_STATUS
    static final int ROLLBACK_RECORDS = 18 // RUN_STARTED, 3 x 2, d started+failed, ROLLBACK_STARTED, RUN_STATUS, 3 x 2, RUN_STATUS

    @TempDir
    Path dir

    Path store() { dir.resolve('store') }

    Path trace() { dir.resolve('trace.txt') }

    def "clean runs write the number of records the crash points below cover"() {
        expect:
        child('forward', 'run', '-', 0).status == 'SUCCEEDED'
        records(onlyRun()).size() == FORWARD_RECORDS

        and:
        Files.delete(trace())
        store().toFile().deleteDir()
        child('rollback', 'run', '-', 0).status == 'ROLLED_BACK'
        records(onlyRun()).size() == ROLLBACK_RECORDS
    }

    @Unroll
    def "a forward run killed after journal record #n resumes to success, never re-running a finished step"() {
        when:
        def killed = child('forward', 'run', '-', n)

        then:
        killed.exit == 137

        when:
        String runId = onlyRun()
        def lastBeforeCrash = records(runId).last()
        def resumed = child('forward', 'resume', runId, 0)
        boolean neededDecision = resumed.status == 'NEEDS_DECISION'
        if (neededDecision) {
            resumed = child('forward', 'resume', runId, 0, 'retry=c')
        }

        then:
        resumed.status == 'SUCCEEDED'
        neededDecision == (lastBeforeCrash.type() == RecordType.STEP_STARTED && lastBeforeCrash.stepId() == 'c')
        everyStepFinishedOnce(runId)
        noStepStartedAfterItFinished(runId)
        actionRunsMatchStartedRecords(runId)

        where:
        n << (1..<FORWARD_RECORDS)
    }

    @Unroll
    def "killed inside step #step after its effect: #expectation"() {
        when:
        def killed = child('forward', 'run', '-', 0, "inside=${step}")
        String runId = onlyRun()
        def resumed = child('forward', 'resume', runId, 0)

        then:
        killed.exit == 137
        resumed.status == status
        decisions(runId) == decided
        runsOf(step) == timesRun

        where:
        step | status           | decided              | timesRun || expectation
        'a'  | 'SUCCEEDED'      | ['rerun-idempotent'] | 2        || 'idempotent, so it runs again'
        'b'  | 'SUCCEEDED'      | ['probe-done']       | 1        || 'its probe finds the effect, so it is not run again'
        'c'  | 'NEEDS_DECISION' | []                   | 1        || 'neither, so the run stops for the operator'
    }

    def "the operator marks an in-doubt step done after checking it by hand"() {
        given:
        child('forward', 'run', '-', 0, 'inside=c')
        String runId = onlyRun()
        child('forward', 'resume', runId, 0)

        when:
        def resumed = child('forward', 'resume', runId, 0, 'done=c')

        then:
        resumed.status == 'SUCCEEDED'
        runsOf('c') == 1
        decisions(runId) == ['mark-done']
    }

    @Unroll
    def "a run killed after journal record #n of its rollback finishes the rollback on resume"() {
        when:
        def killed = child('rollback', 'run', '-', n)
        String runId = onlyRun()
        def resumed = child('rollback', 'resume', runId, 0)

        then:
        killed.exit == 137
        resumed.status == 'ROLLED_BACK'
        finishedCompensations(runId) == ['c', 'b', 'a']
        lines().findAll { it.startsWith('undo') }.unique() == ['undo c', 'undo b', 'undo a']
        compensationRunsMatchStartedRecords(runId)
        everyStepFinishedOnce(runId)

        where:
        n << (1..<ROLLBACK_RECORDS)
    }

    def "a torn last journal line (a write cut short by the crash) is ignored and the run resumes"() {
        given:
        child('forward', 'run', '-', 5)
        String runId = onlyRun()
        def journal = store().resolve('runs').resolve(runId).resolve('journal.jsonl')
        int before = records(runId).size()
        journal.toFile() << '{"c":"0badf00d","r":{"seq":6,"at":"2026-11-24T04:00:00Z","type":"STEP_FIN'

        when:
        def resumed = child('forward', 'resume', runId, 0)

        then:
        resumed.status == 'SUCCEEDED'
        records(runId).size() > before
        records(runId).collect { it.seq() } == (1L..records(runId).size()).toList()
    }

    def "a damaged record in the middle of a journal stops the resume with the file and line"() {
        given:
        child('forward', 'run', '-', 6)
        String runId = onlyRun()
        def journal = store().resolve('runs').resolve(runId).resolve('journal.jsonl')
        def journalLines = Files.readAllLines(journal)
        journalLines[2] = journalLines[2].replace('STEP_', 'STEP-')
        Files.write(journal, journalLines)

        when:
        def resumed = child('forward', 'resume', runId, 0)

        then:
        resumed.status == null
        resumed.output.contains("${journal}:3: journal record is corrupted")
        lines().count { it == 'do d' } == 0
    }

    // --- helpers -------------------------------------------------------------------------------

    Map child(String scenario, String command, String runId, int killAfter, String... extra) {
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def cmd = [java, '-cp', System.getProperty('java.class.path'), CrashChild.name,
                   store().toString(), trace().toString(), scenario, command, runId, killAfter.toString()] + extra.toList()
        def process = new ProcessBuilder(cmd).redirectErrorStream(true).start()
        def output = new StringBuilder()
        def reader = Thread.start { output << process.inputStream.text }
        assert process.waitFor(120, TimeUnit.SECONDS): "child did not finish: ${cmd}"
        reader.join()
        def result = output.readLines().find { it.startsWith('RESULT ') }
        [exit: process.exitValue(), status: result?.split(' ')?.getAt(2), output: output.toString()]
    }

    String onlyRun() {
        def runs = new FileJournalStore(store()).runs()
        assert runs.size() == 1
        runs[0].runId()
    }

    List<JournalRecord> records(String runId) {
        def journal = new FileJournalStore(store()).open(runId)
        try {
            journal.records()
        } finally {
            journal.close()
        }
    }

    List<String> lines() {
        Files.exists(trace()) ? Files.readAllLines(trace()) : []
    }

    int runsOf(String step) {
        lines().count { it == "do ${step}".toString() }
    }

    List<String> decisions(String runId) {
        records(runId).findAll { it.type() == RecordType.STEP_DECIDED }.collect { it.data().decision }
    }

    List<String> finishedCompensations(String runId) {
        records(runId).findAll { it.type() == RecordType.COMPENSATION_FINISHED }.collect { it.stepId() }
    }

    boolean everyStepFinishedOnce(String runId) {
        def finished = records(runId).findAll { it.type() == RecordType.STEP_FINISHED }.collect { it.stepId() }
        assert finished == finished.unique(false)
        true
    }

    boolean noStepStartedAfterItFinished(String runId) {
        def seenFinished = [] as Set
        records(runId).each { r ->
            if (r.type() == RecordType.STEP_FINISHED) {
                seenFinished << r.stepId()
            }
            assert !(r.type() == RecordType.STEP_STARTED && seenFinished.contains(r.stepId())): "${r.stepId()} started again after it finished"
        }
        true
    }

    /** Every execution of an action was announced in the journal first (write-ahead). */
    boolean actionRunsMatchStartedRecords(String runId) {
        def started = records(runId).findAll { it.type() == RecordType.STEP_STARTED }.countBy { it.stepId() }
        ['a', 'b', 'c', 'd'].each { step ->
            assert runsOf(step) <= (started[step] ?: 0): "${step} ran ${runsOf(step)} times but started ${started[step]} times"
            assert runsOf(step) >= 1
        }
        true
    }

    boolean compensationRunsMatchStartedRecords(String runId) {
        def started = records(runId).findAll { it.type() == RecordType.COMPENSATION_STARTED }.countBy { it.stepId() }
        ['a', 'b', 'c'].each { step ->
            int undone = lines().count { it == "undo ${step}".toString() }
            assert undone >= 1 && undone <= started[step]
        }
        true
    }
}
