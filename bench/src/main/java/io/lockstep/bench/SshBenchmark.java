package io.lockstep.bench;

import io.lockstep.engine.Lockstep;
import io.lockstep.engine.RunEvent;
import io.lockstep.engine.journal.FileJournalStore;
import io.lockstep.engine.model.Node;
import io.lockstep.engine.model.Target;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Milliseconds per remote command (DESIGN.md, "Performance"): OpenSSH's client over a multiplexed
 * connection (the floor), a fresh OpenSSH connection per command, and Lockstep's {@code ssh} step
 * running {@code true} N times in one run, over the connection the run shares. Target: a step
 * within 1.5 times the floor. Prints figures; asserts nothing.
 *
 * <pre>
 * java -cp ... io.lockstep.bench.SshBenchmark --port P --identity KEY --known-hosts FILE --dir DIR
 *     [--commands 200] [--fresh 20] [--repeat 3]
 * </pre>
 *
 * {@code src/bench/ssh-benchmark} starts an sshd of its own and runs this against it.
 */
public final class SshBenchmark {

  private static final double TARGET_RATIO = 1.5;

  private int port;
  private Path identity;
  private Path knownHosts;
  private Path dir;
  private int commands = 200;
  private int fresh = 20;
  private int repeat = 3;

  private SshBenchmark() {}

  public static void main(String[] args) throws Exception {
    SshBenchmark bench = new SshBenchmark();
    bench.parse(args);
    bench.run();
  }

  private void run() throws Exception {
    System.out.printf(
        "ssh benchmark: sshd on 127.0.0.1:%d, %d commands, %d cores, java %s%n",
        port, commands, Runtime.getRuntime().availableProcessors(), Runtime.version());

    double[] multiplexed = multiplexed();
    System.out.printf(
        "floor, OpenSSH multiplexed (ControlMaster) `ssh ... true`: %.1f ms/command (p50; p90"
            + " %.1f)%n",
        percentile(multiplexed, 0.5), percentile(multiplexed, 0.9));

    double[] separate = timed(fresh, List.of("-o", "ControlPath=none"));
    System.out.printf(
        "fresh OpenSSH connection `ssh ... true`: %.1f ms/command (p50; p90 %.1f; %d runs)%n",
        percentile(separate, 0.5), percentile(separate, 0.9), fresh);

    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeat + 1; i++) {
      double[] steps = lockstep();
      if (i == 0) {
        // the first run loads and compiles the classes a run touches
        continue;
      }
      double p50 = percentile(steps, 0.5);
      System.out.printf(
          "lockstep run %d: %d sequential ssh steps `true`, one connection: %.1f ms/step (p50; p90"
              + " %.1f)%n",
          i, commands, p50, percentile(steps, 0.9));
      best = Math.min(best, p50);
    }
    double floor = percentile(multiplexed, 0.5);
    System.out.printf(
        "lockstep best p50 %.1f ms/step = %.2fx the multiplexed floor (target <= %.1fx): %s%n",
        best, best / floor, TARGET_RATIO, best / floor <= TARGET_RATIO ? "met" : "NOT met");
  }

  /** {@code ssh} over a ControlMaster connection opened first and closed at the end. */
  private double[] multiplexed() throws Exception {
    List<String> control =
        List.of(
            "-o",
            "ControlMaster=auto",
            "-o",
            "ControlPath=" + dir.resolve("cm"),
            "-o",
            "ControlPersist=60");
    timed(1, control);
    try {
      return timed(commands, control);
    } finally {
      List<String> exit = new ArrayList<>(base());
      exit.addAll(control);
      exit.addAll(List.of("-O", "exit", "root@127.0.0.1"));
      new ProcessBuilder(exit).redirectErrorStream(true).start().waitFor();
    }
  }

  private List<String> base() {
    return List.of(
        "ssh",
        "-p",
        String.valueOf(port),
        "-i",
        identity.toString(),
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "UserKnownHostsFile=" + knownHosts);
  }

  private double[] timed(int times, List<String> options) throws Exception {
    List<String> argv = new ArrayList<>(base());
    argv.addAll(options);
    argv.addAll(List.of("root@127.0.0.1", "true"));
    double[] millis = new double[times];
    for (int i = 0; i < times; i++) {
      long start = System.nanoTime();
      Process process =
          new ProcessBuilder(argv)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException(argv + " exited with " + process.exitValue());
      }
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    return millis;
  }

  /** One run of {@code commands} ssh steps; each step's time from its started to finished event. */
  private double[] lockstep() throws IOException {
    StepType ssh =
        ServiceLoader.load(StepType.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(type -> type.name().equals("ssh"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("lockstep-ssh is not on the class path"));
    Target target =
        new Target(
            "bench-host",
            Map.of(
                "host",
                "127.0.0.1",
                "port",
                port,
                "user",
                "root",
                "identity",
                identity.toString(),
                "knownHosts",
                knownHosts.toString()));
    List<Node> steps = new ArrayList<>();
    for (int i = 0; i < commands; i++) {
      Map<String, Object> args = new HashMap<>();
      for (ArgSpec spec : ssh.arguments()) {
        if (spec.defaultValue() != null) {
          args.put(spec.name(), spec.defaultValue());
        }
      }
      args.put("args", List.of("true"));
      steps.add(ssh.create("true-" + i, args).target(target).build());
    }
    Path runs = Files.createTempDirectory(dir, "runs");
    Map<String, Long> started = new ConcurrentHashMap<>();
    double[] millis = new double[commands];
    int[] finished = {0};
    Lockstep engine =
        Lockstep.builder()
            .store(new FileJournalStore(runs))
            .listener(
                event -> {
                  if (event.type() == RunEvent.Type.STEP_STARTED) {
                    started.put(event.stepId(), System.nanoTime());
                  } else if (event.type() == RunEvent.Type.STEP_FINISHED) {
                    synchronized (finished) {
                      millis[finished[0]++] =
                          (System.nanoTime() - started.get(event.stepId())) / 1e6;
                    }
                  }
                })
            .build();
    BenchRuns.runInSequence(engine, "ssh-bench", steps, dir);
    return Arrays.copyOf(millis, finished[0]);
  }

  private static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value);
        case "--identity" -> identity = Path.of(value);
        case "--known-hosts" -> knownHosts = Path.of(value);
        case "--dir" -> dir = Path.of(value);
        case "--commands" -> commands = Integer.parseInt(value);
        case "--fresh" -> fresh = Integer.parseInt(value);
        case "--repeat" -> repeat = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    if (port == 0 || identity == null || knownHosts == null || dir == null) {
      throw new IllegalArgumentException(
          "give --port, --identity, --known-hosts and --dir (src/bench/ssh-benchmark does)");
    }
  }
}
