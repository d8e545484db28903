package io.lockstep.engine.journal

import io.lockstep.engine.spi.RunHeader

import java.time.Instant

/** Headers and paths shared by the journal specs. */
class JournalFixture {

  static RunHeader header(String runId, String startedAt = '2026-11-24T04:00:00Z') {
    new RunHeader(runId, 'portal', 'prod', '/srv/playbooks/portal.groovy', '/srv/env/prod.groovy',
        'f1ng3rpr1nt', [version: '1.13.0', replicas: 3], Instant.parse(startedAt), 'ops')
  }

  static File journalFile(File root, String runId) {
    new File(root, "runs/$runId/journal.jsonl")
  }
}
