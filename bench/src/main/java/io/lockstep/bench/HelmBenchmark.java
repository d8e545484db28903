package io.lockstep.bench;

import com.marcnuri.helm.Helm;
import io.lockstep.engine.Lockstep;
import io.lockstep.engine.RunEvent;
import io.lockstep.engine.journal.FileJournalStore;
import io.lockstep.engine.model.Node;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.engine.spi.StepTypes;
import io.lockstep.kubernetes.FakeKubeApi;
import io.lockstep.kubernetes.HelmKubeApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Seconds per Helm upgrade (docs/helm.md): Lockstep's {@code helmUpgrade} step in an engine run,
 * next to the floor measured in the same run, helm-java's own upgrade called in this JVM (what a
 * Java program that embeds Helm pays; no helm binary exists here). Both upgrade the same release of
 * the test chart tyk-dev-portal, against the fake API server the specs use, taking turns so that a
 * change of load falls on both.
 *
 * <p>Each run has two upgrade steps: the first starts the run's Helm child JVM (and loads Helm's
 * native library in it), the second finds it up. Both also read the release before upgrading it.
 */
public final class HelmBenchmark {

  private static final String NAMESPACE = "tyk";
  private static final String RELEASE = "bench";

  private final Path dir;
  private final Path chart;
  private final int upgrades;
  private Path kubeconfig;
  private int tag;

  private HelmBenchmark(Path dir, Path chart, int upgrades) {
    this.dir = dir;
    this.chart = chart;
    this.upgrades = upgrades;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("bench/target/helm-bench");
    Path chart = Path.of("src/testbed/charts/tyk-dev-portal");
    int upgrades = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--chart" -> chart = Path.of(args[++i]);
        case "--upgrades" -> upgrades = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: helm-benchmark [--upgrades N] [--chart DIR] [--dir DIR]");
          System.exit(2);
        }
      }
    }
    Files.createDirectories(dir);
    new HelmBenchmark(dir.toAbsolutePath(), chart.toAbsolutePath(), upgrades).run();
    // Helm's Go runtime keeps threads of its own in this JVM (the floor's calls).
    System.exit(0);
  }

  private void run() throws Exception {
    FakeKubeApi api = HelmKubeApi.start();
    try {
      kubeconfig =
          FakeKubeApi.writeKubeconfig(dir.resolve("kubeconfig"), api.url(), "bench", NAMESPACE);
      helmJava(true);
      helmJava(false); // warm-up: the first call loads the native library
      List<Double> floor = new ArrayList<>();
      List<Double> first = new ArrayList<>();
      List<Double> next = new ArrayList<>();
      for (int i = 0; i < upgrades; i++) {
        floor.add(helmJava(false));
        double[] steps = lockstepRun(i);
        first.add(steps[0]);
        next.add(steps[1]);
      }
      double floorP50 = median(floor);
      System.out.printf(
          Locale.ROOT,
          "floor: helm-java upgrade in this JVM: %.2f s/upgrade (p50 of %d; %s)%n",
          floorP50,
          upgrades,
          list(floor));
      System.out.printf(
          Locale.ROOT,
          "lockstep: first helmUpgrade step of a run (starts the run's Helm child JVM, reads the"
              + " release, upgrades): %.2f s/upgrade (p50 of %d; %s)%n",
          median(first),
          upgrades,
          list(first));
      System.out.printf(
          Locale.ROOT,
          "lockstep: next helmUpgrade step of the run (the child is up; reads the release,"
              + " upgrades): %.2f s/upgrade (p50 of %d; %s)%n",
          median(next),
          upgrades,
          list(next));
      System.out.printf(
          Locale.ROOT,
          "ratio: first %.1fx, next %.1fx the floor%n",
          median(first) / floorP50,
          median(next) / floorP50);
    } finally {
      api.close();
    }
  }

  /** One upgrade (or the install) through helm-java in this JVM; seconds. */
  private double helmJava(boolean install) {
    long start = System.nanoTime();
    if (install) {
      new Helm(chart)
          .install()
          .withName(RELEASE)
          .withNamespace(NAMESPACE)
          .withKubeConfig(kubeconfig)
          .set("image.tag", "v" + tag++)
          .call();
    } else {
      new Helm(chart)
          .upgrade()
          .withName(RELEASE)
          .withNamespace(NAMESPACE)
          .withKubeConfig(kubeconfig)
          .set("image.tag", "v" + tag++)
          .call();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** One engine run of two helmUpgrade steps; the seconds of each, from its start to its finish. */
  private double[] lockstepRun(int attempt) throws Exception {
    StepType type =
        StepTypes.load(HelmBenchmark.class.getClassLoader())
            .find("helmUpgrade")
            .orElseThrow(() -> new IllegalStateException("no helmUpgrade step type"));
    List<Node> steps = List.of(upgradeStep(type, "first"), upgradeStep(type, "next"));
    Map<String, Long> started = new HashMap<>();
    Map<String, Double> seconds = new HashMap<>();
    Lockstep engine =
        Lockstep.builder()
            .store(new FileJournalStore(dir.resolve("runs-" + attempt)))
            .listener(
                event -> {
                  if (event.type() == RunEvent.Type.STEP_STARTED) {
                    started.put(event.stepId(), System.nanoTime());
                  } else if (event.type() == RunEvent.Type.STEP_FINISHED) {
                    seconds.put(
                        event.stepId(), (System.nanoTime() - started.get(event.stepId())) / 1e9);
                  }
                })
            .build();
    BenchRuns.runInSequence(engine, "helm-bench", steps, dir);
    return new double[] {seconds.get("first"), seconds.get("next")};
  }

  private Step upgradeStep(StepType type, String id) {
    Map<String, Object> args = new HashMap<>();
    for (ArgSpec spec : type.arguments()) {
      if (spec.defaultValue() != null) {
        args.put(spec.name(), spec.defaultValue());
      }
    }
    args.put("release", RELEASE);
    args.put("chart", chart.toString());
    args.put("kubeconfig", kubeconfig.toString());
    args.put("namespace", NAMESPACE);
    args.put("set", Map.of("image.tag", "v" + tag++));
    return type.create(id, args).build();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String list(List<Double> values) {
    StringBuilder text = new StringBuilder();
    for (double v : values) {
      text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v));
    }
    return text.toString();
  }
}
