package io.lockstep.engine.support

import io.lockstep.engine.spi.JournalRecord
import io.lockstep.engine.spi.JournalStore
import io.lockstep.engine.spi.LockHeldException
import io.lockstep.engine.spi.LockHolder
import io.lockstep.engine.spi.RecordType
import io.lockstep.engine.spi.RunHeader
import io.lockstep.engine.spi.RunJournal
import io.lockstep.engine.spi.UnknownRunException

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

/**
 * A journal store in memory: what an embedder's own store looks like, and a fast store for specs.
 * {@link #seed} writes records directly, to build the journal a crashed process would have left.
 */
class MemoryJournalStore implements JournalStore {

    final Map<String, List<JournalRecord>> journals = [:].asSynchronized()
    final Map<String, LockHolder> locks = [:].asSynchronized()
    final Path artifacts = Files.createTempDirectory('lockstep-artifacts')

    @Override
    RunJournal create(RunHeader header) {
        if (journals.containsKey(header.runId())) {
            throw new IllegalStateException("run ${header.runId()} exists")
        }
        journals[header.runId()] = [].asSynchronized()
        def journal = new MemoryJournal(this, header.runId())
        journal.append(RecordType.RUN_STARTED, null, header.toData())
        journal
    }

    @Override
    RunJournal open(String runId) {
        if (!journals.containsKey(runId)) {
            throw new UnknownRunException(runId)
        }
        new MemoryJournal(this, runId)
    }

    @Override
    List<RunHeader> runs() {
        journals.values().collect { RunHeader.fromData(it[0].data()) }.sort { -it.startedAt().toEpochMilli() }
    }

    @Override
    synchronized void lock(String key, LockHolder holder) {
        def current = locks[key]
        if (current != null && current.runId() != holder.runId()) {
            throw new LockHeldException(key, current)
        }
        locks[key] = holder
    }

    @Override
    synchronized void unlock(String key, String runId) {
        if (locks[key]?.runId() == runId) {
            locks.remove(key)
        }
    }

    @Override
    Optional<LockHolder> lockHolder(String key) {
        Optional.ofNullable(locks[key])
    }

    /** Records of a run, in order. */
    List<JournalRecord> records(String runId) {
        new ArrayList<>(journals[runId])
    }

    /** Types of a run's records with their step ids, e.g. {@code STEP_STARTED a}. */
    List<String> trace(String runId) {
        records(runId).collect { it.stepId() ? "${it.type()} ${it.stepId()}".toString() : it.type().name() }
    }

    /** Keeps only the first {@code count} records of a run: the journal a crash after them leaves. */
    void truncate(String runId, int count) {
        def kept = journals[runId].take(count)
        journals[runId] = new ArrayList<>(kept).asSynchronized()
    }

    static class MemoryJournal implements RunJournal {
        private final MemoryJournalStore store
        private final String runId

        MemoryJournal(MemoryJournalStore store, String runId) {
            this.store = store
            this.runId = runId
        }

        @Override
        String runId() { runId }

        @Override
        JournalRecord append(RecordType type, String stepId, Map<String, Object> data) {
            synchronized (store) {
                def list = store.journals[runId]
                def record = new JournalRecord(list.size() + 1, Instant.now(), type, stepId, data)
                list << record
                record
            }
        }

        @Override
        List<JournalRecord> records() { store.records(runId) }

        @Override
        Path artifactsDir() {
            def dir = store.artifacts.resolve(runId)
            Files.createDirectories(dir)
            dir
        }

        @Override
        void close() {}
    }
}
