package io.lockstep.engine.spi;

import io.lockstep.engine.LockstepException;

/** No run with this id exists in the store. */
public final class UnknownRunException extends LockstepException {

  public UnknownRunException(String runId) {
    super("no run with id " + runId, "`lockstep history` lists the runs in this store");
  }
}
