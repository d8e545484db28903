package io.lockstep.engine.model;

import java.util.List;

/**
 * Branches run concurrently, at most {@code maxConcurrency} at a time (0 means all). When one
 * branch fails, the others finish the step they are in and start nothing new; then the run
 * compensates every step that finished, in reverse finishing order.
 */
public record Parallel(String id, String label, int maxConcurrency, List<Node> branches)
    implements Node {

  public Parallel {
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException("maxConcurrency must be >= 0");
    }
    branches = List.copyOf(branches);
  }
}
