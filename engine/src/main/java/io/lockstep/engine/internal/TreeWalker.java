package io.lockstep.engine.internal;

import io.lockstep.engine.RunEvent;
import io.lockstep.engine.model.ApprovalGate;
import io.lockstep.engine.model.Group;
import io.lockstep.engine.model.Node;
import io.lockstep.engine.model.Parallel;
import io.lockstep.engine.model.Rolling;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.RecordType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Walks the playbook tree forward. Sequences stop at the first outcome that is not OK; parallel
 * branches run on their own threads and a failing branch stops the others from starting new steps;
 * rolling blocks go batch by batch and stop when the failure share is exceeded.
 */
final class TreeWalker {

  private final RunSession session;
  private final StepRunner runner;
  private final Set<String> preApproved;
  private final String approvedBy;

  TreeWalker(RunSession session, StepRunner runner, Set<String> preApproved, String approvedBy) {
    this.session = session;
    this.runner = runner;
    this.preApproved = preApproved;
    this.approvedBy = approvedBy;
  }

  Outcome walk(Node node) {
    if (node instanceof Step step) {
      return runner.run(step);
    }
    if (node instanceof Group group) {
      for (Node child : group.children()) {
        Outcome outcome = walk(child);
        if (!outcome.ok()) {
          return outcome;
        }
      }
      return Outcome.OK;
    }
    if (node instanceof ApprovalGate gate) {
      return gate(gate);
    }
    if (node instanceof Parallel parallel) {
      return concurrently(parallel.branches(), parallel.maxConcurrency(), this::branch);
    }
    if (node instanceof Rolling rolling) {
      return rolling(rolling);
    }
    throw new IllegalArgumentException("unknown node " + node);
  }

  private Outcome branch(Node node) {
    Outcome outcome = walk(node);
    if (outcome.kind() == Outcome.Kind.FAILED) {
      session.stop();
    }
    return outcome;
  }

  private Outcome gate(ApprovalGate gate) {
    RunReplay state = session.state();
    if (state.isApproved(gate.id())) {
      return Outcome.OK;
    }
    if (session.stopping()) {
      return Outcome.STOPPED;
    }
    if (preApproved.contains(gate.id())) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("by", approvedBy);
      data.put("comment", "approved before the run started");
      session.append(RecordType.APPROVAL_GRANTED, gate.id(), data);
      session.emit(
          RunEvent.Type.APPROVAL_GRANTED,
          gate.id(),
          null,
          "approved by " + approvedBy,
          Map.of(),
          0,
          0,
          null);
      return Outcome.OK;
    }
    if (!state.isApprovalRequested(gate.id())) {
      session.append(RecordType.APPROVAL_REQUESTED, gate.id(), Map.of("prompt", gate.prompt()));
    }
    session.emit(
        RunEvent.Type.APPROVAL_REQUIRED, gate.id(), null, gate.prompt(), Map.of(), 0, 0, null);
    return Outcome.awaiting(gate.id());
  }

  private Outcome rolling(Rolling rolling) {
    int total = rolling.targetCount();
    int failed = 0;
    for (Rolling.Batch batch : rolling.batches()) {
      if (session.stopping()) {
        return Outcome.STOPPED;
      }
      List<Rolling.Member> pending = new ArrayList<>();
      for (Rolling.Member member : batch.members()) {
        if (session.state().isTargetFailed(memberKey(rolling, member))) {
          failed++;
          ensureTargetRolledBack(member);
        } else {
          pending.add(member);
        }
      }
      List<Outcome> together =
          rolling.parallelWithinBatch()
              ? runConcurrently(pending, 0, member -> walk(member.body()))
              : null;
      List<Outcome> waiting = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        Rolling.Member member = pending.get(i);
        Outcome outcome = together != null ? together.get(i) : walk(member.body());
        if (outcome.kind() == Outcome.Kind.FAILED) {
          failed++;
          if (exceeds(failed, total, rolling)) {
            session.stop();
            return tooManyFailures(rolling, failed, total, outcome);
          }
          failTarget(rolling, member, outcome);
        } else if (!outcome.ok()) {
          waiting.add(outcome);
        }
      }
      if (!waiting.isEmpty()) {
        return Outcome.combine(waiting);
      }
    }
    return Outcome.OK;
  }

  private static boolean exceeds(int failed, int total, Rolling rolling) {
    return (double) failed / total > rolling.maxFailureShare();
  }

  private Outcome tooManyFailures(Rolling rolling, int failed, int total, Outcome cause) {
    String error =
        failed
            + " of "
            + total
            + " targets failed in "
            + rolling.id()
            + " (at most "
            + Math.round(rolling.maxFailureShare() * 100)
            + "% may fail); last failure: "
            + cause.stepId()
            + ": "
            + cause.error();
    return Outcome.failed(cause.stepId(), error);
  }

  /** A target failed within the allowance: record it, undo its own steps, and go on. */
  private void failTarget(Rolling rolling, Rolling.Member member, Outcome outcome) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("error", outcome.error());
    data.put("step", outcome.stepId());
    session.append(RecordType.TARGET_FAILED, memberKey(rolling, member), data);
    ensureTargetRolledBack(member);
  }

  private void ensureTargetRolledBack(Rolling.Member member) {
    new Compensator(session).rollbackSteps(StepIndex.of(member.body()).keySet());
  }

  private static String memberKey(Rolling rolling, Rolling.Member member) {
    return rolling.id() + "@" + member.target().name();
  }

  private <T> Outcome concurrently(List<T> items, int maxConcurrency, Function<T, Outcome> work) {
    return Outcome.combine(runConcurrently(items, maxConcurrency, work));
  }

  /**
   * Runs each item on its own thread (at most maxConcurrency at once, 0 for all); outcomes in item
   * order.
   */
  private <T> List<Outcome> runConcurrently(
      List<T> items, int maxConcurrency, Function<T, Outcome> work) {
    if (items.isEmpty()) {
      return List.of();
    }
    int threads = maxConcurrency == 0 ? items.size() : Math.min(maxConcurrency, items.size());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "lockstep-branch");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(await(future));
      }
      return outcomes;
    } finally {
      pool.shutdown();
    }
  }

  private static Outcome await(Future<Outcome> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.failed(null, "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }
}
