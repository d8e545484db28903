package io.lockstep.linux;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.ssh.RemoteHost;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code service}: restarts, starts, stops or reloads a systemd unit on a host over SSH and checks
 * its state: active (and staying so) after restart, start and reload; inactive after stop.
 *
 * <pre>{@code
 * service 'restart', unit: 'tyk-gateway.service', action: 'restart', within: '30s'
 * }</pre>
 *
 * Outputs {@code unit}, {@code activeState}, {@code host} and {@code wasActive}. The undo of a stop
 * starts the unit if it was active; of a start, stops it if it was not; restart and reload have
 * nothing to undo.
 */
public final class ServiceStepType implements StepType {

  private static final Set<String> ACTIONS = Set.of("restart", "start", "stop", "reload");

  private static final List<ArgSpec> ARGUMENTS =
      RemoteHost.withConnectionArguments(
          ArgSpec.required("unit", String.class, "systemd unit, such as tyk-gateway.service"),
          ArgSpec.required("action", String.class, "restart, start, stop or reload"),
          ArgSpec.optional(
              "within",
              Duration.class,
              Duration.ofSeconds(30),
              "how long the unit may take to reach its state"));

  @Override
  public String name() {
    return "service";
  }

  @Override
  public String summary() {
    return "restart, start, stop or reload a systemd unit on a host and check that it is active";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    String prefix = "service '" + id + "': ";
    Object unit = StepArgs.text(args, "unit");
    if (unit == null || unit.toString().isBlank()) {
      throw new IllegalArgumentException(prefix + "unit must not be empty");
    }
    Object actionArg = args.get("action");
    String action = actionArg == null ? "" : actionArg.toString();
    if (!ACTIONS.contains(action)) {
      throw new IllegalArgumentException(
          prefix + "action must be restart, start, stop or reload; got '" + action + "'");
    }
    Duration within = StepArgs.duration(args, "within", Duration.ofSeconds(30));
    Map<String, Object> connection = RemoteHost.connection(args);
    Compensation undo =
        switch (action) {
          case "stop" ->
              Compensation.of(
                  "start " + StepArgs.display(unit) + " again if it was active",
                  ctx -> undo(ctx, unit, "start", true, within, connection));
          case "start" ->
              Compensation.of(
                  "stop " + StepArgs.display(unit) + " again if it was not active",
                  ctx -> undo(ctx, unit, "stop", false, within, connection));
          default -> Compensation.none();
        };
    Step.Builder step =
        Step.builder(id, ctx -> run(ctx, unit, action, within, connection))
            .type(name())
            .describe(
                action
                    + " "
                    + StepArgs.display(unit)
                    + (action.equals("stop") ? "" : " and wait until it is active")
                    + RemoteHost.on(connection))
            .compensation(undo)
            .idempotent(!action.equals("restart"))
            .argument("unit", StepArgs.display(unit))
            .argument("action", action)
            .argument("within", StepArgs.format(within));
    connection.forEach((k, v) -> step.argument(k, StepArgs.display(v)));
    return step;
  }

  private static Map<String, Object> run(
      StepContext ctx, Object unitArg, String action, Duration within, Map<String, Object> conn)
      throws Exception {
    String unit = ctx.resolveText(unitArg);
    String what = "service " + action + " " + unit;
    RemoteHost host = RemoteHost.resolve(ctx, conn, what);
    boolean wasActive = "active".equals(Systemd.activeState(host, unit));
    String state;
    try {
      state = apply(ctx, host, unit, action, within, what);
    } catch (StepFailedException e) {
      if (wasActive || !(action.equals("start") || action.equals("restart"))) {
        throw e;
      }
      throw stopAgain(ctx, host, unit, what, e);
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("unit", unit);
    outputs.put("activeState", state);
    outputs.put("host", host.host());
    outputs.put("wasActive", wasActive);
    return outputs;
  }

  /**
   * A start (or a restart of a unit that was not active) that failed leaves the unit in systemd's
   * hands: with {@code Restart=on-failure} it is started again and again while the rollback runs (a
   * portal would migrate the database being restored). The engine does not compensate a failed
   * step, so the step stops the unit itself, as it was before.
   */
  private static StepFailedException stopAgain(
      StepContext ctx, RemoteHost host, String unit, String what, StepFailedException failure)
      throws InterruptedException {
    try {
      ctx.log("stop " + unit + " on " + host.address() + " again: it was not active before");
      Systemd.act(host, "stop", unit, what);
      return new StepFailedException(
          failure.getMessage() + " (" + unit + " stopped again)", failure);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception again) {
      return new StepFailedException(
          failure.getMessage() + "; stopping " + unit + " again failed too: " + again.getMessage(),
          failure);
    }
  }

  private static String apply(
      StepContext ctx, RemoteHost host, String unit, String action, Duration within, String what)
      throws Exception {
    ctx.log(action + " " + unit + " on " + host.address());
    Systemd.act(host, action, unit, what);
    if (!action.equals("stop")) {
      return Systemd.awaitActive(ctx, host, unit, within, what);
    }
    String state = Systemd.activeState(host, unit);
    if (state.equals("active")) {
      throw new StepFailedException(
          what
              + ": "
              + unit
              + " is still active on "
              + host.address()
              + Systemd.status(host, unit));
    }
    return state;
  }

  private static Map<String, Object> undo(
      StepContext ctx,
      Object unitArg,
      String action,
      boolean when,
      Duration within,
      Map<String, Object> conn)
      throws Exception {
    if (!Boolean.valueOf(when).equals(ctx.ownOutputs().get("wasActive"))) {
      ctx.log("the unit was " + (when ? "not " : "") + "active before: nothing to undo");
      return Map.of();
    }
    String unit = ctx.resolveText(unitArg);
    String what = "undo service: " + action + " " + unit;
    apply(ctx, RemoteHost.resolve(ctx, conn, what), unit, action, within, what);
    return Map.of();
  }
}
