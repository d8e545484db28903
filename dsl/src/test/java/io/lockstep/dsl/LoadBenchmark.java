package io.lockstep.dsl;

import io.lockstep.engine.model.Playbook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold load time of a small playbook, against its floor: a fresh JVM that starts Groovy and
 * evaluates one line. Each measurement is a child JVM with this class path, so both pay the same
 * start-up. Run from the dsl module with the test class path, for example:
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.lockstep.dsl.LoadBenchmark
 * </pre>
 */
public final class LoadBenchmark {

  private LoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("floor")) {
      new groovy.lang.GroovyShell().evaluate("1 + 1");
      return;
    }
    if (args.length == 1 && args[0].equals("load")) {
      Playbook playbook =
          PlaybookLoader.create()
              .load(
                  Path.of("src/test/resources/demo/upgrade.groovy"),
                  Path.of("src/test/resources/demo/env/staging.groovy"),
                  Map.of("version", "1.1.0"));
      if (playbook.root().children().isEmpty()) {
        throw new IllegalStateException("empty playbook");
      }
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long floor = median(rounds, "floor");
    long load = median(rounds, "load");
    System.out.printf(
        "floor (JVM + Groovy, one line): %d ms%nload (demo playbook + environment with base): %d ms"
            + "%nratio: %.2f%n",
        floor, load, (double) load / floor);
  }

  private static long median(int rounds, String mode) throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  LoadBenchmark.class.getName(),
                  mode)
              .inheritIO()
              .start();
      if (child.waitFor() != 0) {
        throw new IllegalStateException(mode + " failed");
      }
      times.add((System.nanoTime() - start) / 1_000_000);
    }
    times.sort(null);
    return times.get(times.size() / 2);
  }
}
