package io.lockstep.helm;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.kubernetes.KubeCluster;
import io.lockstep.steps.StepArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code helmUpgrade}: upgrades a Helm release to a chart and values, recording the chart and
 * user-supplied values it ran before, so the undo can put them back.
 *
 * <pre>{@code
 * helmUpgrade 'portal', release: 'tyk-dev-portal', chart: 'charts/tyk-dev-portal',
 *     values: ['portal-values.yaml'], set: ['image.tag': params.version], namespace: 'tyk'
 * }</pre>
 *
 * <p>The upgrade ({@link HelmUpgrade}) and its undo ({@link HelmUndo}) run every Helm call in a
 * child process with a hard time limit ({@link HelmCall}).
 */
public final class HelmUpgradeStepType implements StepType {

  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private static final List<ArgSpec> ARGUMENTS;

  static {
    List<ArgSpec> arguments =
        new ArrayList<>(
            List.of(
                ArgSpec.required("release", String.class, "the Helm release"),
                ArgSpec.required(
                    "chart",
                    String.class,
                    "chart directory or .tgz relative to the playbook, or repo/name"),
                ArgSpec.optional("version", String.class, null, "version of a repo/name chart"),
                ArgSpec.optional(
                    "values", List.class, null, "values files relative to the playbook, in order"),
                ArgSpec.optional(
                    "set", Map.class, null, "values by dotted path: ['image.tag': 'v1.11.0']"),
                ArgSpec.optional(
                    "install", Boolean.class, false, "install the release when it does not exist"),
                ArgSpec.optional(
                    "timeout",
                    Duration.class,
                    DEFAULT_TIMEOUT,
                    "limit on the upgrade; the Helm process is killed after it"),
                ArgSpec.optional(
                    "rollbackChart",
                    String.class,
                    null,
                    "the chart the release runs now, for the undo, when chart is another version")));
    arguments.addAll(KubeCluster.ARGUMENTS);
    ARGUMENTS = List.copyOf(arguments);
  }

  @Override
  public String name() {
    return "helmUpgrade";
  }

  @Override
  public String summary() {
    return "upgrade a Helm release to a chart and values (rolled back by an upgrade to the previous"
        + " chart and values)";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object release = args.get("release");
    Object chart = args.get("chart");
    if (release == null || chart == null) {
      throw new IllegalArgumentException(name() + " '" + id + "': release and chart are required");
    }
    HelmUpgrade upgrade = new HelmUpgrade(args);
    Object shownRelease = StepArgs.display(release);
    Step.Builder step =
        Step.builder(id, upgrade::apply)
            .type(name())
            .describe(
                "upgrade release "
                    + shownRelease
                    + " to chart "
                    + StepArgs.display(chart)
                    + (args.get("version") == null
                        ? ""
                        : " version " + StepArgs.display(args.get("version"))))
            .compensation(
                Compensation.of(
                    "upgrade release "
                        + shownRelease
                        + " back to its previous chart and values (a new revision; helm-java has"
                        + " no rollback), or uninstall it if the step installed it",
                    ctx -> new HelmUndo(args).apply(ctx)))
            .probe(upgrade::probe)
            .idempotent(true)
            .argument("release", shownRelease)
            .argument("chart", StepArgs.display(chart));
    for (String name : List.of("version", "values", "set", "install", "rollbackChart")) {
      if (args.get(name) != null) {
        step.argument(name, StepArgs.display(args.get(name)));
      }
    }
    return step;
  }
}
