package io.lockstep.engine.spi;

import java.time.Instant;

/** The run holding a playbook-and-environment lock, and who started it where. */
public record LockHolder(String runId, String user, String host, long pid, Instant since) {

  @Override
  public String toString() {
    return "run "
        + runId
        + " (started by "
        + user
        + " on "
        + host
        + ", pid "
        + pid
        + ", since "
        + since
        + ")";
  }
}
