package io.lockstep.ssh

import io.lockstep.testing.TestStepContext
import io.lockstep.engine.model.Cancellation
import io.lockstep.engine.model.RunResources
import io.lockstep.engine.model.StepContext
import io.lockstep.engine.model.Target

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList

/** A StepContext for driving actions, probes and compensations directly in specs. */
class TestStepContext implements StepContext, Closeable {

    String stepId = 'step'
    Path baseDir
    Target target
    Map<String, Object> ownOutputs = [:]
    Map<String, String> secrets = [:]
    Map<String, Instant> stepStarts = [:]
    Instant startedAt = Instant.now()
    final List<String> lines = new CopyOnWriteArrayList<>()
    volatile String cancelReason

    /** Shared like the engine shares them: one per key until discarded or closed. */
    final Map<String, AutoCloseable> shared = [:]
    int opened

    TestStepContext(Path baseDir) {
        this.baseDir = baseDir
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
    @Override Map<String, Object> outputs(String id) { throw new IllegalStateException("step '$id' has not finished") }
    @Override Map<String, Object> ownOutputs() { ownOutputs }
    @Override String secret(String name) { secrets[name] }
    @Override Instant startedAt() { startedAt }
    @Override Instant stepStartedAt(String id) { stepStarts[id] }
    @Override Path artifactsDir() { Files.createDirectories(baseDir.resolve('.artifacts')) }
    @Override Path baseDir() { baseDir }

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
