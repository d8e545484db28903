package io.lockstep.engine.spi;

import io.lockstep.engine.LockstepException;

/** Another run holds the lock for this playbook and environment. */
public final class LockHeldException extends LockstepException {

  private final String key;
  private final LockHolder holder;

  public LockHeldException(String key, LockHolder holder) {
    super(
        key + " is locked by " + holder,
        "finish that run first: `lockstep resume "
            + holder.runId()
            + "` or `lockstep rollback "
            + holder.runId()
            + "`; see `lockstep status "
            + holder.runId()
            + "`");
    this.key = key;
    this.holder = holder;
  }

  public String key() {
    return key;
  }

  public LockHolder holder() {
    return holder;
  }
}
