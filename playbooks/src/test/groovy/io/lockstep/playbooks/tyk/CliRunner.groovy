package io.lockstep.playbooks.tyk

import com.fasterxml.jackson.databind.ObjectMapper
import io.lockstep.cli.Main

import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.time.Instant

/**
 * Runs the lockstep CLI in this JVM on one journal store, as an operator would from a shell, and
 * reads runs back through `status --json`. The environment given is added to the process's: that
 * is where the LOCKSTEP_SECRET_* values come from.
 */
class CliRunner {

    final Path store
    final Map<String, String> environment

    CliRunner(Path store, Map<String, String> environment = [:]) {
        this.store = store
        this.environment = environment
    }

    CliRunner withEnvironment(Map<String, String> more) {
        new CliRunner(store, environment + more)
    }

    /** Exit code, everything printed (stdout then stderr), and the run id when one was printed. */
    Map run(String command, String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        Map<String, String> env = new HashMap<>(System.getenv())
        env.putAll(environment)
        // plan and validate read files only: they take no store
        List<String> all = [command] + (command in ['plan', 'validate'] ? [] : ['--store', store.toString()]) + (args as List)
        int code = Main.execute(all as String[], new PrintStream(out, true, 'UTF-8'), new PrintStream(err, true, 'UTF-8'), env)
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)
        def id = text =~ /run (\d{8}-\d{6}-[0-9a-f]+)/
        [code: code, out: text, runId: id.find() ? id.group(1) : null]
    }

    Map status(String runId) {
        Map result = run('status', runId, '--json')
        assert result.code == 0: result.out
        new ObjectMapper().readValue((String) result.out, Map)
    }

    List<String> finished(String runId) {
        status(runId).records.findAll { it.type == 'STEP_FINISHED' }*.stepId
    }

    List<String> compensated(String runId) {
        status(runId).records.findAll { it.type == 'COMPENSATION_FINISHED' }*.stepId
    }

    Map outputs(String runId, String stepId) {
        status(runId).steps.find { it.stepId == stepId }.outputs
    }

    /** When a journal record was written, in nanoseconds since the epoch. */
    long recordNanos(String runId, String type, String stepId) {
        Map record = status(runId).records.find { it.type == type && it.stepId == stepId }
        assert record != null: "no $type record for $stepId"
        Object at = record.at
        Instant instant = at instanceof Number
                ? Instant.ofEpochSecond(0, ((Number) at * 1_000_000_000).longValue())
                : Instant.parse(at as String)
        instant.epochSecond * 1_000_000_000L + instant.nano
    }
}
