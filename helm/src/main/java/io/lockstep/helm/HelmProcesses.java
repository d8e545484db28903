package io.lockstep.helm;

import io.lockstep.engine.model.StepContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The Helm worker processes of one run (a run resource): a call takes an idle one or starts one,
 * and gives it back when it answered. A process that had to be killed is not given back. Parallel
 * steps each get their own; the engine closes them all when the run stops driving.
 */
final class HelmProcesses implements AutoCloseable {

  private static final String KEY = "helm-processes";

  private final Path home;
  private final Deque<HelmProcess> idle = new ArrayDeque<>();
  private final Set<HelmProcess> started = new HashSet<>();
  private boolean closed;

  private HelmProcesses(Path home) {
    this.home = home;
  }

  /** The run's processes; their Helm home is {@code helm/} in the run's artifacts. */
  static HelmProcesses of(StepContext ctx) throws Exception {
    return ctx.resources()
        .get(KEY, HelmProcesses.class, () -> new HelmProcesses(ctx.artifactsDir().resolve("helm")));
  }

  /** Where the run's Helm keeps its files; call-private files go here too. */
  Path home() {
    return home;
  }

  /** An idle process, or a new one. */
  HelmProcess take() throws IOException, InterruptedException {
    HelmProcess waiting;
    while ((waiting = takeIdle()) != null) {
      if (waiting.alive()) {
        return waiting;
      }
      kill(waiting); // it ended while idle: reap it and delete its files
    }
    HelmProcess process = HelmProcess.start(home);
    synchronized (this) {
      started.add(process);
    }
    return process;
  }

  private synchronized HelmProcess takeIdle() {
    if (closed) {
      throw new IllegalStateException("the run's Helm processes are closed");
    }
    return idle.poll();
  }

  /** Returns a process that answered its call. */
  void giveBack(HelmProcess process) throws InterruptedException {
    synchronized (this) {
      if (!closed) {
        idle.push(process);
        return;
      }
    }
    process.close();
  }

  /** Kills a process that did not answer in time or was cancelled. */
  void kill(HelmProcess process) throws InterruptedException {
    synchronized (this) {
      started.remove(process);
    }
    process.kill();
  }

  @Override
  public void close() throws InterruptedException {
    Set<HelmProcess> all;
    synchronized (this) {
      closed = true;
      all = new HashSet<>(started);
      started.clear();
      idle.clear();
    }
    for (HelmProcess process : all) {
      process.close();
    }
  }
}
