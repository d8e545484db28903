package io.lockstep.database

import io.lockstep.engine.model.Cancellation
import io.lockstep.engine.model.StepContext
import io.lockstep.engine.model.Target

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList

/** A StepContext for driving actions and compensations directly in specs; masks secrets like the engine. */
class TestStepContext implements StepContext {

    String stepId = 'step'
    Path baseDir
    Path artifactsDir
    Map<String, Map<String, Object>> finished = [:]
    Map<String, Object> ownOutputs = [:]
    Map<String, String> secrets = [:]
    final List<String> lines = new CopyOnWriteArrayList<>()
    volatile String cancelReason

    TestStepContext(Path baseDir) {
        this.baseDir = baseDir
        this.artifactsDir = baseDir.resolve('artifacts')
    }

    @Override String runId() { 'run-1' }
    @Override String stepId() { stepId }
    @Override Target target() { null }
    @Override int attempt() { 1 }
    @Override Map<String, Object> params() { [:] }
    @Override Map<String, Object> vars() { [:] }
    @Override Map<String, Object> ownOutputs() { ownOutputs }
    @Override String secret(String name) { secrets[name] }
    @Override Instant startedAt() { Instant.now() }
    @Override Instant stepStartedAt(String id) { null }
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
    Cancellation cancellation() {
        new Cancellation() {
            @Override boolean isCancelled() { cancelReason != null }
            @Override String reason() { cancelReason }
        }
    }
}
