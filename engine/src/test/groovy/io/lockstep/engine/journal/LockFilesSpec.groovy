package io.lockstep.engine.journal

import io.lockstep.engine.spi.LockHeldException
import io.lockstep.engine.spi.LockHolder
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant

class LockFilesSpec extends Specification {

  @TempDir
  Path root

  FileJournalStore store

  def setup() {
    store = new FileJournalStore(root)
  }

  static LockHolder holder(String runId, long pid = 4242) {
    new LockHolder(runId, 'alice', 'deploy-1', pid, Instant.parse('2026-11-24T04:00:00Z'))
  }

  def "a free lock is taken and names its holder"() {
    when:
    store.lock('portal@prod', holder('run-1'))

    then:
    store.lockHolder('portal@prod') == Optional.of(holder('run-1'))
    Files.exists(root.resolve('locks/portal@prod.lock'))
  }

  def "a lock held by another run is refused with a message naming the holder"() {
    given:
    store.lock('portal@prod', holder('run-1'))

    when:
    store.lock('portal@prod', holder('run-2'))

    then:
    def e = thrown(LockHeldException)
    e.key() == 'portal@prod'
    e.holder() == holder('run-1')
    e.message == 'portal@prod is locked by run run-1 (started by alice on deploy-1, pid 4242, since 2026-11-24T04:00:00Z)'
    e.hint().contains('lockstep resume run-1')
    store.lockHolder('portal@prod').get().runId() == 'run-1'
  }

  def "the same run takes its lock again after a crash, recorded with its new pid"() {
    given:
    store.lock('portal@prod', holder('run-1', 4242))

    when:
    store.lock('portal@prod', holder('run-1', 5151))

    then:
    store.lockHolder('portal@prod').get().pid() == 5151
    Files.list(root.resolve('locks')).map { it.fileName.toString() }.toList() == ['portal@prod.lock']
  }

  def "unlock by a run that does not hold the lock leaves it in place"() {
    given:
    store.lock('portal@prod', holder('run-1'))

    when:
    store.unlock('portal@prod', 'run-2')

    then:
    store.lockHolder('portal@prod') == Optional.of(holder('run-1'))
  }

  def "unlock by the holder frees the lock for the next run"() {
    given:
    store.lock('portal@prod', holder('run-1'))

    when:
    store.unlock('portal@prod', 'run-1')
    store.lock('portal@prod', holder('run-2'))

    then:
    store.lockHolder('portal@prod').get().runId() == 'run-2'
  }

  def "nobody holds a lock that was never taken"() {
    expect:
    store.lockHolder('portal@prod') == Optional.empty()

    when:
    store.unlock('portal@prod', 'run-1')

    then:
    store.lockHolder('portal@prod') == Optional.empty()
  }

  @Unroll
  def "lock key #key is stored as #fileName"() {
    expect:
    LockFiles.fileName(key) == fileName

    where:
    key                 || fileName
    'portal@prod'       || 'portal@prod.lock'
    'gateway@eu-west.1' || 'gateway@eu-west.1.lock'
    'team/portal@prod'  || 'team%2Fportal@prod.lock'
    'team_portal@prod'  || 'team_portal@prod.lock'
    '../../etc/passwd'  || '%2E.%2F..%2Fetc%2Fpasswd.lock'
    'a b%c'             || 'a%20b%25c.lock'
    'café@prod'         || 'caf%C3%A9@prod.lock'
  }

  def "distinct keys never share a lock"() {
    given:
    store.lock('team/portal@prod', holder('run-1'))

    when:
    store.lock('team_portal@prod', holder('run-2'))

    then:
    store.lockHolder('team/portal@prod').get().runId() == 'run-1'
    store.lockHolder('team_portal@prod').get().runId() == 'run-2'
  }
}
