package io.lockstep.testing

import io.lockstep.engine.model.Cancellation
import io.lockstep.engine.model.RunResources
import io.lockstep.engine.model.StepContext
import io.lockstep.engine.model.Target

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList

/**
 * A StepContext for driving a step's action, probe or compensation directly in a spec, without an
 * engine. It masks the secrets it hands out in the log lines it keeps, and shares run resources
 * (one connection per key until discarded or closed), as the engine does.
 */
class TestStepContext implements StepContext, Closeable {

    String stepId = 'step'
    Target target
    Path baseDir
    Path artifactsDir
    /** Outputs of the steps that "finished" before this one: what outputs(id) and output refs read. */
    Map<String, Map<String, Object>> finished = [:]
    Map<String, Object> ownOutputs = [:]
    Map<String, String> secrets = [:]
    Map<String, Instant> stepStarts = [:]
    Instant startedAt = Instant.now()
    final List<String> lines = new CopyOnWriteArrayList<>()
    volatile String cancelReason
    /** The run resources opened through this context, by key; {@link #opened} counts the openings. */
    final Map<String, AutoCloseable> shared = [:]
    int opened

    TestStepContext(Path baseDir) {
        this.baseDir = baseDir
        this.artifactsDir = baseDir.resolve('artifacts')
    }

    /** What the engine does on a timeout: the action sees cancellation().isCancelled(). */
    void cancel(String reason) {
        cancelReason = reason
    }

    @Override String runId() { 'run-1' }
    @Override String stepId() { stepId }
    @Override Target target() { target }
    @Override int attempt() { 1 }
    @Override Map<String, Object> params() { [:] }
    @Override Map<String, Object> vars() { [:] }
    @Override Map<String, Object> ownOutputs() { ownOutputs }
    @Override String secret(String name) { secrets[name] }
    @Override Instant startedAt() { startedAt }
    @Override Instant stepStartedAt(String id) { stepStarts[id] }
    @Override Path artifactsDir() { Files.createDirectories(artifactsDir) }
    @Override Path baseDir() { baseDir }

    @Override
    Map<String, Object> outputs(String id) {
        if (!finished.containsKey(id)) {
            throw new IllegalStateException("step '$id' has not finished")
        }
        finished[id]
    }

    @Override
    void log(String line) {
        String masked = line
        secrets.values().each { masked = masked.replace(it, '****') }
        lines << masked
    }

    @Override
    RunResources resources() {
        new RunResources() {
            @Override
            synchronized <T extends AutoCloseable> T get(String key, Class<T> type, RunResources.Opener<T> opener) {
                if (!shared.containsKey(key)) {
                    shared[key] = opener.open()
                    opened++
                }
                type.cast(shared[key])
            }

            @Override
            synchronized void discard(String key) {
                shared.remove(key)?.close()
            }
        }
    }

    /** Closes the run resources, as the engine does when a run stops. */
    @Override
    void close() {
        shared.values().each { it.close() }
        shared.clear()
    }

    @Override
    Cancellation cancellation() {
        new Cancellation() {
            @Override boolean isCancelled() { cancelReason != null }
            @Override String reason() { cancelReason }
        }
    }
}
