package io.lockstep.docker;

import com.github.dockerjava.api.command.InspectExecResponse;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.steps.OutputTail;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import io.lockstep.steps.logs.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code execInContainer}: runs a program inside a running container ({@code docker exec}) with an
 * argument vector, no shell, and checks its exit code.
 *
 * <pre>{@code
 * execInContainer 'schema-version', container: 'portal-db',
 *     args: ['psql', '-U', 'portal', '-tAc', 'select max(version) from schema_migrations']
 * }</pre>
 *
 * Each line of stdout and stderr goes to the run log as it arrives; the outputs keep the last
 * {@code captureBytes} of each. Outputs {@code exitCode}, {@code stdout} and {@code stderr}. Not
 * idempotent; without a declared undo unless the playbook declares one. A cancelled step stops
 * reading, but Docker has no way to end an exec'd process: it runs on inside the container.
 */
public final class ExecInContainerStepType implements StepType {

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          DockerArgs.CONTAINER,
          ArgSpec.required("args", List.class, "program and arguments, run without a shell"),
          ArgSpec.optional("user", String.class, null, "user (name or uid[:gid]) to run as"),
          ArgSpec.optional("workingDir", String.class, null, "working directory in the container"),
          ArgSpec.optional("env", Map.class, Map.of(), "extra environment variables"),
          ArgSpec.optional("okExitCodes", List.class, List.of(0), "exit codes that mean success"),
          ArgSpec.optional(
              "captureBytes", Integer.class, 65536, "how much of stdout and stderr to keep"),
          DockerArgs.HOST);

  @Override
  public String name() {
    return "execInContainer";
  }

  @Override
  public String summary() {
    return "run a program (argv list) inside a running container and check its exit code";
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public Step.Builder create(String id, Map<String, Object> args) {
    Object container = DockerArgs.required(name(), id, args, "container");
    List<?> argv = StepArgs.list(args, "args");
    if (argv == null || argv.isEmpty()) {
      throw new IllegalArgumentException("execInContainer '" + id + "': args must name a program");
    }
    List<?> command = List.copyOf(argv);
    Object user = args.get("user");
    Object workingDir = args.get("workingDir");
    Map<?, ?> env = StepArgs.map(args, "env");
    List<Integer> okExitCodes = new ArrayList<>();
    List<?> codes = StepArgs.list(args, "okExitCodes");
    for (Object code : codes == null || codes.isEmpty() ? List.of(0) : codes) {
      if (!(code instanceof Number n)) {
        throw new IllegalArgumentException(
            "execInContainer '" + id + "': okExitCodes must be numbers, got '" + code + "'");
      }
      okExitCodes.add(n.intValue());
    }
    int captureBytes = StepArgs.integer(args, "captureBytes", 65536);
    if (captureBytes < 0) {
      throw new IllegalArgumentException(
          "execInContainer '" + id + "': captureBytes must not be negative");
    }
    Object host = args.get("host");
    String display = String.valueOf(StepArgs.display(command));
    Exec exec =
        new Exec(
            container,
            command,
            display,
            user,
            workingDir,
            env,
            List.copyOf(okExitCodes),
            captureBytes,
            host);
    Step.Builder step =
        Step.builder(id, exec::run)
            .type(name())
            .compensation(Compensation.undeclared())
            .describe(
                "run "
                    + display
                    + " in container "
                    + StepArgs.display(container)
                    + (user == null ? "" : " as " + StepArgs.display(user))
                    + (env.isEmpty() ? "" : " with env " + StepArgs.display(env.keySet()))
                    + DockerArgs.on(host))
            .idempotent(false)
            .argument("container", StepArgs.display(container))
            .argument("args", StepArgs.display(command));
    if (user != null) {
      step.argument("user", StepArgs.display(user));
    }
    if (workingDir != null) {
      step.argument("workingDir", StepArgs.display(workingDir));
    }
    if (!env.isEmpty()) {
      step.argument("env", StepArgs.display(env));
    }
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step.argument("okExitCodes", List.copyOf(okExitCodes))
        .argument("captureBytes", captureBytes);
  }

  private record Exec(
      Object container,
      List<?> command,
      String display,
      Object user,
      Object workingDir,
      Map<?, ?> env,
      List<Integer> okExitCodes,
      int captureBytes,
      Object host) {

    Map<String, Object> run(StepContext ctx) throws InterruptedException {
      String name = ctx.resolveText(container);
      List<String> argv = new ArrayList<>();
      command.forEach(part -> argv.add(ctx.resolveText(part)));
      List<String> environment = new ArrayList<>();
      env.forEach((k, v) -> environment.add(k + "=" + ctx.resolveText(v)));
      try (Docker docker = DockerArgs.docker(ctx, host)) {
        var inspected = docker.container(name);
        if (!inspected.path("State").path("Running").asBoolean()) {
          throw new StepFailedException(
              "cannot run " + display + " in container " + name + ": it is not running");
        }
        String containerId = inspected.path("Id").asText();
        String what = "run " + display + " in container " + name;
        String execId =
            docker.call(
                what,
                () -> {
                  var cmd =
                      docker
                          .client()
                          .execCreateCmd(containerId)
                          .withCmd(argv.toArray(String[]::new))
                          .withAttachStdout(true)
                          .withAttachStderr(true);
                  if (user != null) {
                    cmd.withUser(ctx.resolveText(user));
                  }
                  if (workingDir != null) {
                    cmd.withWorkingDir(ctx.resolveText(workingDir));
                  }
                  if (!environment.isEmpty()) {
                    cmd.withEnv(environment);
                  }
                  return cmd.exec().getId();
                });
        Output output = new Output(ctx, captureBytes);
        try (InputStream stream = docker.startExec(execId)) {
          output.read(stream);
        } catch (IOException e) {
          throw docker.failure(what, e);
        }
        awaitExit(ctx, docker, execId, what);
        InspectExecResponse result =
            docker.call(what, () -> docker.client().inspectExecCmd(execId).exec());
        Long exitCode = result.getExitCodeLong();
        if (exitCode == null) {
          throw new StepFailedException(what + ": Docker reported no exit code");
        }
        int code = exitCode.intValue();
        if (code == 126 || code == 127) {
          if (output.stdoutTail.text().isBlank() && output.lastStderr.isEmpty() && code == 127) {
            output.lastStderr = "no such file or command";
          }
        }
        if (!okExitCodes.contains(code)) {
          throw new StepFailedException(
              what
                  + " exited with "
                  + code
                  + (output.lastStderr.isBlank() ? "" : ": " + output.lastStderr));
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("exitCode", code);
        outputs.put("stdout", output.stdoutTail.text().strip());
        outputs.put("stderr", output.stderrTail.text().strip());
        return outputs;
      }
    }
  }

  /** The stream can end a moment before Docker records the exit code. */
  private static void awaitExit(StepContext ctx, Docker docker, String execId, String what)
      throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      InspectExecResponse state =
          docker.call(what, () -> docker.client().inspectExecCmd(execId).exec());
      if (!Boolean.TRUE.equals(state.isRunning())) {
        return;
      }
      ctx.cancellation().throwIfCancelled();
      Thread.sleep(50);
    }
  }

  /**
   * Reads Docker's multiplexed frames on the action's thread: each stream split into lines for the
   * run log, its tail kept for the outputs.
   */
  private static final class Output {
    private final StepContext ctx;
    final OutputTail stdoutTail;
    final OutputTail stderrTail;
    private final LineSplitter stdout;
    private final LineSplitter stderr;
    String lastStderr = "";

    Output(StepContext ctx, int captureBytes) {
      this.ctx = ctx;
      this.stdoutTail = new OutputTail(captureBytes);
      this.stderrTail = new OutputTail(captureBytes);
      this.stdout = new LineSplitter(ctx::log);
      this.stderr =
          new LineSplitter(
              line -> {
                if (!line.isBlank()) {
                  lastStderr = line;
                }
                ctx.log(line);
              });
    }

    void read(InputStream in) throws IOException {
      Frames.read(
          in,
          false,
          (err, chunk) -> {
            (err ? stderrTail : stdoutTail).write(chunk);
            (err ? stderr : stdout).feed(chunk, 0, chunk.length);
            ctx.cancellation().throwIfCancelled();
          });
      stdout.finish();
      stderr.finish();
    }
  }
}
