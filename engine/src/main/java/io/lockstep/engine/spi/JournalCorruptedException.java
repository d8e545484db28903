package io.lockstep.engine.spi;

import io.lockstep.engine.LockstepException;

/**
 * A journal record that is not the last one fails its checksum or does not parse. Unlike a torn
 * last line (a crash in the middle of a write, ignored), this means the file was damaged: the
 * engine refuses to guess.
 */
public final class JournalCorruptedException extends LockstepException {

  public JournalCorruptedException(String file, long line, String problem) {
    super(
        file + ":" + line + ": journal record is corrupted (" + problem + ")",
        "the records after it cannot be trusted; keep a copy of the file, inspect it, and decide with"
            + " `lockstep status` what was done; do not edit earlier lines");
  }
}
