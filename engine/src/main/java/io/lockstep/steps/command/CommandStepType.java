package io.lockstep.steps.command;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.ProcessRunner;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code command}: runs a program with an argument vector, or a command line through {@code sh -c}
 * when asked to with {@code shell}.
 *
 * <pre>{@code
 * command 'stop-service', args: ['bin/service', 'stop']
 * command 'reload', shell: 'systemctl reload app || true'
 * }</pre>
 *
 * Outputs {@code exitCode}, {@code stdout} and {@code stderr} (the last {@code captureBytes} of
 * each, trimmed). Not idempotent; without a declared undo (plans say its effect stays) unless the
 * playbook declares one.
 */
public final class CommandStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          ArgSpec.optional("args", List.class, null, "program and arguments, run without a shell"),
          ArgSpec.optional("shell", String.class, null, "a command line run with sh -c"),
          ArgSpec.optional("dir", String.class, null, "working directory (default: base dir)"),
          ArgSpec.optional("env", Map.class, Map.of(), "extra environment variables"),
          ArgSpec.optional("okExitCodes", List.class, List.of(0), "exit codes that mean success"),
          ArgSpec.optional(
              "captureBytes", Integer.class, 65536, "how much of stdout and stderr to keep"));

  @Override
  public String name() {
    return "command";
  }

  @Override
  public String summary() {
    return "run a program (argv list) or a shell command line and check its exit code";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    List<?> argv = StepArgs.list(args, "args");
    Object shell = args.get("shell");
    if ((argv == null) == (shell == null)) {
      throw new IllegalArgumentException(
          "command '"
              + id
              + "': give exactly one of args (a list: program and arguments) or shell (a command"
              + " line for sh -c)");
    }
    if (argv != null && argv.isEmpty()) {
      throw new IllegalArgumentException("command '" + id + "': args must name a program");
    }
    List<?> command = argv != null ? List.copyOf(argv) : List.of("sh", "-c", shell);
    Object dir = args.get("dir");
    Map<?, ?> env = StepArgs.map(args, "env");
    List<Integer> okExitCodes = exitCodes(id, StepArgs.list(args, "okExitCodes"));
    int captureBytes = StepArgs.integer(args, "captureBytes", 65536);
    if (captureBytes < 0) {
      throw new IllegalArgumentException("command '" + id + "': captureBytes must not be negative");
    }
    String display = String.valueOf(StepArgs.display(command));

    Step.Builder step =
        Step.builder(id, ctx -> run(ctx, display, command, dir, env, okExitCodes, captureBytes))
            .type(name())
            .compensation(Compensation.undeclared())
            .describe(
                "run "
                    + display
                    + (dir == null ? "" : " in " + StepArgs.display(dir))
                    + (env.isEmpty() ? "" : " with env " + StepArgs.display(env.keySet())))
            .idempotent(false);
    if (argv != null) {
      step.argument("args", StepArgs.display(argv));
    } else {
      step.argument("shell", StepArgs.display(shell));
    }
    if (dir != null) {
      step.argument("dir", StepArgs.display(dir));
    }
    if (!env.isEmpty()) {
      step.argument("env", StepArgs.display(env));
    }
    return step.argument("okExitCodes", okExitCodes).argument("captureBytes", captureBytes);
  }

  private static Map<String, Object> run(
      StepContext ctx,
      String display,
      List<?> command,
      Object dir,
      Map<?, ?> env,
      List<Integer> okExitCodes,
      int captureBytes)
      throws InterruptedException {
    List<String> argv = new ArrayList<>();
    command.forEach(part -> argv.add(ctx.resolveText(part)));
    Path workDir = dir == null ? ctx.baseDir() : StepArgs.path(ctx, dir);
    Map<String, String> environment = new LinkedHashMap<>();
    env.forEach((k, v) -> environment.put(String.valueOf(k), ctx.resolveText(v)));

    ProcessRunner.Result result =
        new ProcessRunner("command " + display, ctx).run(argv, workDir, environment, captureBytes);
    if (!okExitCodes.contains(result.exitCode())) {
      String reason = result.lastStderrLine().isBlank() ? "" : ": " + result.lastStderrLine();
      throw new StepFailedException(
          "command " + display + " exited with " + result.exitCode() + reason);
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("exitCode", result.exitCode());
    outputs.put("stdout", result.stdout());
    outputs.put("stderr", result.stderr());
    return outputs;
  }

  private static List<Integer> exitCodes(String id, List<?> codes) {
    if (codes == null || codes.isEmpty()) {
      return List.of(0);
    }
    List<Integer> ints = new ArrayList<>();
    for (Object code : codes) {
      if (!(code instanceof Number n)) {
        throw new IllegalArgumentException(
            "command '" + id + "': okExitCodes must be numbers, got '" + code + "'");
      }
      ints.add(n.intValue());
    }
    return List.copyOf(ints);
  }
}
