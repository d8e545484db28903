package io.lockstep.helm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One {@link HelmWorker} child JVM, seen from the parent: it takes one request line at a time and
 * answers with a {@link HelmResult#MARKER} line. It stays up between calls, so a run pays for a JVM
 * start and for loading Helm's 100 MB library once, not per call ({@link HelmProcesses}).
 *
 * <p>Its {@code java.io.tmpdir} is a directory of its own, deleted when the process ends: helm-java
 * copies its native library there at start and relies on {@code deleteOnExit}, which a killed JVM
 * never runs.
 */
final class HelmProcess {

  /** What the stdout reader queues when the child's output ends: it exited or was killed. */
  private static final String ENDED = "\0ended";

  private static final int STDERR_LINES = 5;

  /** The system property that sets the child's class path. */
  static final String CLASS_PATH_PROPERTY = "lockstep.helm.classpath";

  private final Process process;
  private final Path tmp;
  private final OutputStream stdin;
  private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stderrReader;

  private HelmProcess(Process process, Path tmp) {
    this.process = process;
    this.tmp = tmp;
    this.stdin = process.getOutputStream();
    daemon("helm-stdout", this::readResults);
    this.stderrReader = daemon("helm-stderr", this::readErrors);
  }

  /** Starts a worker whose Helm keeps its cache, configuration and data under {@code home}. */
  static HelmProcess start(Path home) throws IOException {
    Files.createDirectories(home);
    Path tmp = Files.createTempDirectory(home, "tmp-");
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    // Small heap and the quick JIT tier: the work is in Helm's Go code, not in Java.
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.add("-Djava.io.tmpdir=" + tmp);
    command.addAll(List.of("-cp", classPath()));
    command.add(HelmWorker.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
    env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
    env.put("HELM_DATA_HOME", home.resolve("data").toString());
    // Repository charts (repo/name) are found through the user's repositories, as `helm` does.
    Path userConfig = Path.of(System.getProperty("user.home"), ".config", "helm");
    if (!env.containsKey("HELM_REPOSITORY_CONFIG")
        && Files.isRegularFile(userConfig.resolve("repositories.yaml"))) {
      env.put("HELM_REPOSITORY_CONFIG", userConfig.resolve("repositories.yaml").toString());
      env.put(
          "HELM_REPOSITORY_CACHE",
          Path.of(System.getProperty("user.home"), ".cache", "helm", "repository").toString());
    }
    try {
      return new HelmProcess(builder.start(), tmp);
    } catch (IOException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  /**
   * The child's class path: this JVM's, unless {@value #CLASS_PATH_PROPERTY} names one, for an
   * application whose classes do not come from its class path (a plugin or application server's
   * class loader).
   */
  static String classPath() {
    String configured = System.getProperty(CLASS_PATH_PROPERTY);
    return configured == null || configured.isBlank()
        ? System.getProperty("java.class.path")
        : configured;
  }

  /** Sends one request: a line of JSON. */
  void send(String requestJson) throws IOException {
    synchronized (stderrTail) {
      stderrTail.clear();
    }
    stdin.write((requestJson + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /**
   * The answer's JSON, waiting at most {@code millis}.
   *
   * @return the JSON, or {@code null} when no answer came in that time
   * @throws IOException when the process ended without answering
   */
  String answer(long millis) throws IOException, InterruptedException {
    String line = results.poll(millis, TimeUnit.MILLISECONDS);
    if (ENDED.equals(line)) {
      results.add(ENDED); // a later call sees the end too
      process.waitFor(5, TimeUnit.SECONDS);
      stderrReader.join(2_000);
      throw new IOException("the Helm process ended without a result" + stderr());
    }
    return line;
  }

  boolean alive() {
    return process.isAlive() && results.isEmpty();
  }

  /** Kills the child and anything it started, reaps it and deletes its temporary files. */
  void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    deleteTree(tmp);
  }

  /** Ends an idle child: end of input makes it exit; killed if it does not within 5 seconds. */
  void close() throws InterruptedException {
    try {
      stdin.close();
    } catch (IOException alreadyGone) {
      // the process ended on its own
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    deleteTree(tmp);
  }

  private void readResults() {
    // Helm's Go code may print to the same stream: only the marked line is the answer.
    readLines(
        process.getInputStream(),
        line -> {
          int at = line.indexOf(HelmResult.MARKER);
          if (at >= 0) {
            results.add(line.substring(at + HelmResult.MARKER.length()));
          }
        });
    results.add(ENDED);
  }

  private void readErrors() {
    readLines(
        process.getErrorStream(),
        line -> {
          synchronized (stderrTail) {
            stderrTail.addLast(line);
            if (stderrTail.size() > STDERR_LINES) {
              stderrTail.removeFirst();
            }
          }
        });
  }

  /** Hands each line to {@code sink} until the stream ends or the process is killed. */
  private static void readLines(InputStream stream, Consumer<String> sink) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        sink.accept(line);
      }
    } catch (IOException killed) {
      // what was read so far is all there is
    }
  }

  /** The last lines the child wrote to standard error since the last request, for messages. */
  private String stderr() {
    synchronized (stderrTail) {
      String text = String.join("\n", stderrTail).strip();
      return text.isEmpty() ? "" : ": " + text;
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a leftover temporary directory in the run's artifacts is not worth failing a step for
    }
  }
}
