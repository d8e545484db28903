package io.lockstep.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link HelmRequest} in a child JVM ({@link HelmWorker}) and waits for it with a hard
 * limit. A helm-java call runs Go code that Java cannot interrupt, and once it has run, Helm's Go
 * runtime owns the process's SIGTERM (manusa/helm-java#409): in this process a stuck call would
 * hang the run and its shutdown. A child process can always be killed (SIGKILL), which is what
 * happens when the limit passes or the step is cancelled.
 */
final class HelmCall {

  /** Time to start a JVM and load Helm's 100 MB library, on top of Helm's own timeout. */
  static final Duration STARTUP_MARGIN = Duration.ofSeconds(15);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(100);

  private final Path helmHome;

  /**
   * @param helmHome where Helm keeps its cache, configuration and data for this call
   */
  HelmCall(Path helmHome) {
    this.helmHome = helmHome;
  }

  /** The home under the step's artifacts, so one run's Helm files stay with the run. */
  static HelmCall forStep(StepContext ctx) {
    return new HelmCall(
        ctx.artifactsDir().resolve(StepArgs.fileName(ctx.stepId())).resolve("helm"));
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
      return runChild(ctx, request, timeout, what, afterKill);
    } finally {
      if (kubeconfig != null) {
        Files.deleteIfExists(kubeconfig);
      }
    }
  }

  private HelmResult runChild(
      StepContext ctx, HelmRequest request, Duration timeout, String what, String afterKill)
      throws IOException, InterruptedException {
    Process process = start();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Thread out = drain(process.getInputStream(), stdout, "helm-stdout");
    Thread err = drain(process.getErrorStream(), stderr, "helm-stderr");
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(JSON.writeValueAsBytes(request));
    }
    long deadline = System.nanoTime() + timeout.plus(STARTUP_MARGIN).toNanos();
    try {
      while (!process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        if (ctx.cancellation().isCancelled()) {
          kill(process);
          ctx.log(what + " was cancelled; the Helm process was killed");
          ctx.cancellation().throwIfCancelled();
        }
        if (System.nanoTime() > deadline) {
          kill(process);
          throw new StepFailedException(
              what
                  + " did not finish in "
                  + StepArgs.format(timeout)
                  + "; the Helm process was killed. "
                  + afterKill);
        }
      }
    } catch (InterruptedException e) {
      kill(process);
      throw e;
    }
    out.join(5_000);
    err.join(5_000);
    return result(stdout.toString(StandardCharsets.UTF_8), stderr, what);
  }

  /** The kubeconfig, readable by this user only, in the Helm home (deleted after the call). */
  private Path privateFile(String contents) throws IOException {
    Files.createDirectories(helmHome);
    Path file =
        Files.createTempFile(
            helmHome,
            "kubeconfig-",
            ".yaml",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, contents);
    return file;
  }

  private Process start() throws IOException {
    Files.createDirectories(helmHome);
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    // A short-lived JVM: small heap, no JIT warm-up worth paying for.
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(HelmWorker.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
    env.put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
    env.put("HELM_DATA_HOME", helmHome.resolve("data").toString());
    // Repository charts (repo/name) are found through the user's repositories, as `helm` does.
    Path userConfig = Path.of(System.getProperty("user.home"), ".config", "helm");
    if (!env.containsKey("HELM_REPOSITORY_CONFIG")
        && Files.isRegularFile(userConfig.resolve("repositories.yaml"))) {
      env.put("HELM_REPOSITORY_CONFIG", userConfig.resolve("repositories.yaml").toString());
      env.put(
          "HELM_REPOSITORY_CACHE",
          Path.of(System.getProperty("user.home"), ".cache", "helm", "repository").toString());
    }
    return builder.start();
  }

  private static HelmResult result(String stdout, ByteArrayOutputStream stderr, String what)
      throws IOException {
    int at = stdout.lastIndexOf(HelmResult.MARKER);
    if (at < 0) {
      String detail = stderr.toString(StandardCharsets.UTF_8).strip();
      throw new StepFailedException(
          what
              + ": the Helm process ended without a result"
              + (detail.isEmpty() ? "" : ": " + tail(detail)));
    }
    String line = stdout.substring(at + HelmResult.MARKER.length()).strip();
    HelmResult result = JSON.readValue(line, HelmResult.class);
    if (result.error() != null) {
      throw new StepFailedException(what + " failed: " + result.error());
    }
    return result;
  }

  /** Kills the child and anything it started, and reaps it, so no process outlives the step. */
  private static void kill(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private static Thread drain(InputStream in, ByteArrayOutputStream sink, String name) {
    Thread thread =
        new Thread(
            () -> {
              try (in) {
                in.transferTo(sink);
              } catch (IOException e) {
                // the process was killed: what was read so far is all there is
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 5), lines.length));
  }
}
