package io.lockstep.ssh;

import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ssh}: runs a program on a Linux host over SSH with an argument vector, each word quoted
 * for the remote shell, or a shell line when asked to with {@code shell}; checks its exit code.
 *
 * <pre>{@code
 * ssh 'stop', args: ['systemctl', 'stop', 'tyk-gateway'], sudo: true
 * ssh 'config', shell: 'grep -c listen /etc/app.conf || true'
 * }</pre>
 *
 * The host comes from the step's target or its own {@code host} argument ({@link SshTarget}); the
 * connection is the run's shared one for that user, host and port. Each line of stdout and stderr
 * goes to the run log as it arrives; outputs keep the last {@code captureBytes} of each, with
 * {@code exitCode} and {@code host}. The step's {@code timeout} option (or any cancellation) stops
 * the remote command. Not idempotent; without a declared undo unless the playbook declares one.
 */
public final class SshStepType implements StepType {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final List<ArgSpec> ARGUMENTS =
      SshArgs.with(
          ArgSpec.optional(
              "args", List.class, null, "program and arguments, each quoted for the remote shell"),
          ArgSpec.optional("shell", String.class, null, "a shell line run with sh -c on the host"),
          SshArgs.SUDO,
          ArgSpec.optional("dir", String.class, null, "working directory on the host"),
          ArgSpec.optional(
              "env", Map.class, Map.of(), "environment variables (values may be secrets)"),
          ArgSpec.optional("okExitCodes", List.class, List.of(0), "exit codes that mean success"),
          ArgSpec.optional(
              "captureBytes", Integer.class, 65536, "how much of stdout and stderr to keep"));

  @Override
  public String name() {
    return "ssh";
  }

  @Override
  public String summary() {
    return "run a program (argv list, quoted) or a shell line on a host over SSH and check its exit"
        + " code";
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
          "ssh '"
              + id
              + "': give exactly one of args (a list: program and arguments, each quoted) or shell"
              + " (a line for sh -c on the host)");
    }
    if (argv != null && argv.isEmpty()) {
      throw new IllegalArgumentException("ssh '" + id + "': args must name a program");
    }
    Map<?, ?> env = StepArgs.map(args, "env");
    for (Object key : env.keySet()) {
      if (!ENV_NAME.matcher(String.valueOf(key)).matches()) {
        throw new IllegalArgumentException(
            "ssh '"
                + id
                + "': env name '"
                + key
                + "' is not a variable name (letters, digits and _, not starting with a digit)");
      }
    }
    List<Integer> okExitCodes = exitCodes(id, StepArgs.list(args, "okExitCodes"));
    int captureBytes = StepArgs.integer(args, "captureBytes", 65536);
    if (captureBytes < 0) {
      throw new IllegalArgumentException("ssh '" + id + "': captureBytes must not be negative");
    }
    Command command =
        new Command(
            argv == null ? null : List.copyOf(argv),
            shell,
            SshArgs.sudo(name(), id, args),
            args.get("dir"),
            env,
            okExitCodes,
            captureBytes,
            SshArgs.connection(args));
    Step.Builder step =
        Step.builder(id, command::run)
            .type(name())
            .compensation(Compensation.undeclared())
            .describe(
                "run "
                    + command.display()
                    + SshArgs.as(command.sudo())
                    + (command.dir() == null ? "" : " in " + StepArgs.display(command.dir()))
                    + (env.isEmpty() ? "" : " with env " + StepArgs.display(env.keySet()))
                    + SshArgs.on(command.connection()))
            .idempotent(false);
    if (argv != null) {
      step.argument("args", StepArgs.display(argv));
    } else {
      step.argument("shell", StepArgs.display(shell));
    }
    if (command.sudo() != null) {
      step.argument("sudo", StepArgs.display(command.sudo()));
    }
    if (command.dir() != null) {
      step.argument("dir", StepArgs.display(command.dir()));
    }
    if (!env.isEmpty()) {
      step.argument("env", StepArgs.display(env));
    }
    command.connection().forEach((k, v) -> step.argument(k, StepArgs.display(v)));
    return step.argument("okExitCodes", okExitCodes).argument("captureBytes", captureBytes);
  }

  private record Command(
      List<?> argv,
      Object shell,
      Object sudo,
      Object dir,
      Map<?, ?> env,
      List<Integer> okExitCodes,
      int captureBytes,
      Map<String, Object> connection) {

    String display() {
      return argv != null
          ? String.valueOf(StepArgs.display(argv))
          : "sh -c " + StepArgs.display(shell);
    }

    Map<String, Object> run(StepContext ctx) throws Exception {
      SshTarget target = SshTarget.resolve(ctx, connection, "ssh " + display());
      String what = "ssh " + display() + " on " + target.address();
      String line = RemoteExec.wrap(commandLine(ctx));
      List<String> killPrefix = SshArgs.sudoWords(ctx, sudo);
      RemoteExec.Result result =
          SshConnections.use(
              ctx, target, c -> new RemoteExec(what, ctx, killPrefix).run(c, line, captureBytes));
      if (!okExitCodes.contains(result.exitCode())) {
        String reason = result.lastStderrLine().isBlank() ? "" : ": " + result.lastStderrLine();
        throw new StepFailedException(what + " exited with " + result.exitCode() + reason);
      }
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("exitCode", result.exitCode());
      outputs.put("stdout", result.stdout());
      outputs.put("stderr", result.stderr());
      outputs.put("host", target.host());
      return outputs;
    }

    /**
     * {@code [cd -- DIR &&] exec [sudo -n [-u USER] --] [env NAME=value...] PROGRAM ARGS...}, every
     * word quoted: the remote shell only splits the words back apart. {@code env} comes after
     * {@code sudo}, which would otherwise reset the environment.
     */
    String commandLine(StepContext ctx) {
      List<String> words = new ArrayList<>(SshArgs.sudoWords(ctx, sudo));
      if (!env.isEmpty()) {
        words.add("env");
        env.forEach((k, v) -> words.add(k + "=" + ctx.resolveText(v)));
      }
      if (argv != null) {
        argv.forEach(part -> words.add(ctx.resolveText(part)));
      } else {
        words.addAll(List.of("sh", "-c", ctx.resolveText(shell)));
      }
      String exec = "exec " + ShellQuote.join(words);
      return dir == null ? exec : "cd -- " + ShellQuote.quote(ctx.resolveText(dir)) + " && " + exec;
    }
  }

  private static List<Integer> exitCodes(String id, List<?> codes) {
    if (codes == null || codes.isEmpty()) {
      return List.of(0);
    }
    List<Integer> ints = new ArrayList<>();
    for (Object code : codes) {
      if (!(code instanceof Number n)) {
        throw new IllegalArgumentException(
            "ssh '" + id + "': okExitCodes must be numbers, got '" + code + "'");
      }
      ints.add(n.intValue());
    }
    return List.copyOf(ints);
  }
}
