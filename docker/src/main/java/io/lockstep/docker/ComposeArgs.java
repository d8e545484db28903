package io.lockstep.docker;

import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepArgs;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The arguments the compose steps share, as the playbook gave them (values may still be secrets or
 * templates; {@link Compose#of} resolves them inside an action).
 *
 * @param file the compose file
 * @param service the service in it
 * @param project the compose project name, or {@code null} for compose's own default
 * @param dockerConfig directory with the Docker CLI's {@code config.json}, or {@code null}
 * @param command the compose CLI as program and arguments
 * @param host the Docker endpoint, or {@code null} (see {@link DockerHost})
 */
record ComposeArgs(
    Object file,
    Object service,
    Object project,
    Object dockerConfig,
    List<?> command,
    Object host) {

  static final List<String> DEFAULT_COMMAND = List.of("docker-compose");

  static final ArgSpec FILE =
      ArgSpec.required(
          "file", String.class, "compose file (a relative path is taken from the playbook's)");

  static final ArgSpec SERVICE =
      ArgSpec.required("service", String.class, "name of the service in the compose file");

  /** What the compose CLI needs besides the file and the service. */
  static final List<ArgSpec> CLI =
      List.of(
          ArgSpec.optional(
              "project",
              String.class,
              null,
              "compose project name, -p (default: compose's, from the file's directory)"),
          ArgSpec.optional(
              "dockerConfig",
              String.class,
              null,
              "directory with the Docker CLI's config.json for registry credentials"
                  + " (default: DOCKER_CONFIG, ~/.docker)"),
          ArgSpec.optional(
              "composeCommand",
              List.class,
              DEFAULT_COMMAND,
              "the compose CLI as program and arguments, such as ['docker', 'compose']"),
          DockerArgs.HOST);

  /**
   * {@code stopTimeout}, absent by default: then compose uses the service's {@code
   * stop_grace_period} from the file, else its own 10 seconds. A default here would override a
   * grace period the operator chose for a service that needs longer to shut down.
   */
  static ArgSpec stopTimeout(String meaning) {
    return ArgSpec.optional("stopTimeout", Duration.class, null, meaning);
  }

  /** {@code stopTimeout} in whole seconds, or {@code null} when not given. */
  static Integer stopSeconds(String type, String id, Map<String, Object> args) {
    Object value = args.get("stopTimeout");
    if (!(value instanceof Duration timeout)) {
      return null;
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(type + " '" + id + "': stopTimeout must not be negative");
    }
    return (int) Math.min(Integer.MAX_VALUE, timeout.toSeconds());
  }

  /** The arguments of a step that runs the CLI: file, service, then {@link #CLI}, then extra. */
  static List<ArgSpec> withCli(ArgSpec... extra) {
    List<ArgSpec> all = new java.util.ArrayList<>(List.of(FILE, SERVICE));
    all.addAll(CLI);
    all.addAll(List.of(extra));
    return List.copyOf(all);
  }

  static ComposeArgs read(String type, String id, Map<String, Object> args) {
    Object file = DockerArgs.required(type, id, args, "file");
    Object service = DockerArgs.required(type, id, args, "service");
    List<?> command = StepArgs.list(args, "composeCommand");
    if (command == null) {
      command = DEFAULT_COMMAND;
    }
    if (command.isEmpty() || String.valueOf(command.get(0)).isBlank()) {
      throw new IllegalArgumentException(
          type + " '" + id + "': composeCommand must name a program, such as ['docker-compose']");
    }
    return new ComposeArgs(
        file,
        service,
        args.get("project"),
        args.get("dockerConfig"),
        List.copyOf(command),
        args.get("host"));
  }

  /** {@code service 'tyk-portal' of docker-compose.yaml}, for plans. */
  String shown() {
    return "service "
        + StepArgs.display(service)
        + " of "
        + StepArgs.display(file)
        + (project == null ? "" : " (project " + StepArgs.display(project) + ")")
        + DockerArgs.on(host);
  }

  /** Adds the given arguments to the step's plan entry. */
  Step.Builder describeIn(Step.Builder step) {
    step.argument("file", StepArgs.display(file)).argument("service", StepArgs.display(service));
    if (project != null) {
      step.argument("project", StepArgs.display(project));
    }
    if (dockerConfig != null) {
      step.argument("dockerConfig", StepArgs.display(dockerConfig));
    }
    if (!command.equals(DEFAULT_COMMAND)) {
      step.argument("composeCommand", StepArgs.display(command));
    }
    if (host != null) {
      step.argument("host", StepArgs.display(host));
    }
    return step;
  }
}
