package io.lockstep.engine.journal

import io.lockstep.engine.spi.RecordType
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch

import static io.lockstep.engine.journal.JournalFixture.header

/** Parallel branches appending to one journal. */
class GroupCommitSpec extends Specification {

  static final int THREADS = 8
  static final int PER_THREAD = 200

  @TempDir
  Path root

  def "8 threads x 200 appends: every acknowledged record readable, seq gapless, order kept per thread"() {
    given:
    def store = new FileJournalStore(root)
    def journal = store.create(header('run-1'))
    def acknowledged = new ConcurrentLinkedQueue()

    when:
    runThreads { int branch ->
      PER_THREAD.times { i ->
        acknowledged << journal.append(RecordType.STEP_FINISHED, "b$branch/s$i", [branch: branch, i: i])
      }
    }
    journal.close()
    def records = store.open('run-1').records()
    def total = THREADS * PER_THREAD + 1

    then:
    records*.seq == (1L..total).toList()
    records.tail() as Set == acknowledged as Set
    (0..<THREADS).every { b -> records.findAll { it.data().branch == b }*.data()*.i == (0..<PER_THREAD).toList() }
  }

  def "appends ignore interrupts and the journal survives channels closed under it"() {
    given:
    def store = new FileJournalStore(root)
    def journal = store.create(header('run-1'))
    def workers = new ConcurrentLinkedQueue<Thread>()
    def done = new CountDownLatch(THREADS)
    def random = new Random(7)
    def interrupter = Thread.start {
      while (done.count > 0) {
        def branches = workers.toList()
        if (branches) {
          branches[random.nextInt(branches.size())].interrupt()
        }
        Thread.sleep(0, 500_000)
      }
    }

    when:
    runThreads { int branch ->
      workers << Thread.currentThread()
      try {
        PER_THREAD.times { i -> journal.append(RecordType.STEP_FINISHED, "b$branch/s$i", [i: i]) }
      } finally {
        done.countDown()
      }
    }
    interrupter.join()
    journal.close()

    then:
    store.open('run-1').records()*.seq == (1L..THREADS * PER_THREAD + 1).toList()
    store.open('run-1').records().tail()*.stepId as Set == (0..<THREADS).collectMany { b -> (0..<PER_THREAD).collect { "b$b/s$it" as String } } as Set
  }

  private static void runThreads(Closure body) {
    def start = new CountDownLatch(1)
    def errors = new ConcurrentLinkedQueue<Throwable>()
    def threads = (0..<THREADS).collect { int branch ->
      Thread.start {
        start.await()
        try {
          body(branch)
        } catch (Throwable t) {
          errors << t
        }
      }
    }
    start.countDown()
    threads*.join()
    if (!errors.isEmpty()) {
      throw errors.peek()
    }
  }
}
