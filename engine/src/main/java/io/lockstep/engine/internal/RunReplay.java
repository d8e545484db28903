package io.lockstep.engine.internal;

import io.lockstep.engine.RunView;
import io.lockstep.engine.spi.JournalRecord;
import java.util.List;

/** Replays a run's journal into its state. (Being written.) */
public final class RunReplay {

  private RunReplay() {}

  public static RunReplay of(List<JournalRecord> records) {
    throw new UnsupportedOperationException("not yet");
  }

  public RunView view() {
    throw new UnsupportedOperationException("not yet");
  }
}
