package io.lockstep.engine.model;

import java.util.List;

/**
 * The same body run per target, batch after batch ({@code [1, '25%']} style, already resolved into
 * concrete batches). Within a batch targets run serially unless {@code parallelWithinBatch}. When
 * the share of failed targets exceeds {@code maxFailureShare} (0.0 means any failure stops), later
 * batches do not start and the run rolls back; a failed target within the allowance has its own
 * finished steps compensated and the rollout goes on.
 */
public record Rolling(
    String id,
    String label,
    List<Batch> batches,
    double maxFailureShare,
    boolean parallelWithinBatch,
    String batchSpec)
    implements Node {

  public Rolling {
    if (maxFailureShare < 0 || maxFailureShare > 1) {
      throw new IllegalArgumentException("maxFailureShare must be between 0 and 1");
    }
    batches = List.copyOf(batches);
  }

  /** Total number of targets across all batches. */
  public int targetCount() {
    return batches.stream().mapToInt(b -> b.members().size()).sum();
  }

  /** One batch: the body of each member target, already bound to that target. */
  public record Batch(int number, List<Member> members) {
    public Batch {
      members = List.copyOf(members);
    }
  }

  /** One target's body inside a batch. */
  public record Member(Target target, Node body) {}
}
