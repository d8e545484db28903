package io.lockstep.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Runs one {@link HelmRequest} in a child JVM ({@link HelmWorker}) and waits for it with a hard
 * limit. A helm-java call runs Go code that Java cannot interrupt, and once it has run, Helm's Go
 * runtime owns the process's SIGTERM (manusa/helm-java#409): in this process a stuck call would
 * hang the run and its shutdown. A child process can always be killed (SIGKILL), which is what
 * happens when the limit passes or the step is cancelled. Children that answered serve the run's
 * next calls ({@link HelmProcesses}).
 */
final class HelmCall {

  /** Time to start a JVM and load Helm's 100 MB library, on top of Helm's own timeout. */
  static final Duration STARTUP_MARGIN = Duration.ofSeconds(15);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(100);

  private final HelmProcesses processes;

  private HelmCall(HelmProcesses processes) {
    this.processes = processes;
  }

  /** Calls through the run's Helm processes. */
  static HelmCall forStep(StepContext ctx) throws Exception {
    return new HelmCall(HelmProcesses.of(ctx));
  }

  /**
   * Runs the request; a Helm error becomes a {@link StepFailedException} starting with {@code
   * what}.
   *
   * @param what the call as messages name it: {@code helm upgrade of release portal}
   * @param timeout Helm's timeout; the child gets {@link #STARTUP_MARGIN} more
   * @param afterKill what the user should check when the child had to be killed
   */
  HelmResult run(
      StepContext ctx, HelmRequest request, Duration timeout, String what, String afterKill)
      throws IOException, InterruptedException {
    Path kubeconfig = null;
    try {
      if (request.kubeconfig() != null) {
        kubeconfig = privateFile(request.kubeconfig());
        request = request.withKubeconfigFile(kubeconfig.toString());
      }
      return result(call(ctx, request, timeout, what, afterKill), what);
    } finally {
      if (kubeconfig != null) {
        Files.deleteIfExists(kubeconfig);
      }
    }
  }

  private String call(
      StepContext ctx, HelmRequest request, Duration timeout, String what, String afterKill)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.plus(STARTUP_MARGIN).toNanos();
    HelmProcess process = processes.take();
    boolean answered = false;
    try {
      process.send(JSON.writeValueAsString(request));
      while (true) {
        String answer = process.answer(POLL.toMillis());
        if (answer != null) {
          answered = true;
          return answer;
        }
        if (ctx.cancellation().isCancelled()) {
          ctx.log(what + " was cancelled; the Helm process was killed");
          ctx.cancellation().throwIfCancelled();
        }
        if (System.nanoTime() > deadline) {
          throw new StepFailedException(
              what
                  + " did not finish in "
                  + StepArgs.format(timeout)
                  + "; the Helm process was killed. "
                  + afterKill);
        }
      }
    } catch (IOException e) {
      throw new StepFailedException(what + ": " + e.getMessage(), e);
    } finally {
      // Killed before the message is read, so no process outlives a failed call.
      if (answered) {
        processes.giveBack(process);
      } else {
        processes.kill(process);
      }
    }
  }

  /** The kubeconfig, readable by this user only, in the Helm home (deleted after the call). */
  private Path privateFile(String contents) throws IOException {
    Files.createDirectories(processes.home());
    Path file =
        Files.createTempFile(
            processes.home(),
            "kubeconfig-",
            ".yaml",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, contents);
    return file;
  }

  private static HelmResult result(String json, String what) throws IOException {
    HelmResult result = JSON.readValue(json, HelmResult.class);
    if (result.error() != null) {
      throw new StepFailedException(what + " failed: " + result.error());
    }
    return result;
  }
}
