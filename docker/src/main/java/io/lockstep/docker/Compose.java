package io.lockstep.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.ProcessRunner;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One service of a compose project, driven through the compose CLI ({@code docker-compose}, or
 * {@code docker compose} with {@code composeCommand}). The CLI runs without a shell, in the compose
 * file's directory (compose resolves relative volume paths and {@code .env} from there), with
 * {@code DOCKER_HOST} set to the step's endpoint and {@code DOCKER_CONFIG} to {@code dockerConfig}
 * when given. Its output goes to the run log line by line, without download progress ticks; a
 * cancelled step ends its whole process tree ({@link ProcessRunner}).
 *
 * <p>The CLI is the right tool for the project's side: it knows how compose names, labels and
 * recreates containers. The state of the containers is then read from the daemon ({@link Docker}).
 */
final class Compose {

  /**
   * Compose's label that marks {@code docker-compose run} containers, which are not the service.
   */
  private static final String ONE_OFF_LABEL = "com.docker.compose.oneoff";

  /** Layer progress of a pull (the compose plugin prints one line per tick). */
  private static final Pattern PROGRESS =
      Pattern.compile("\\b(Downloading|Extracting|Waiting|Verifying Checksum)\\b");

  /** Compose's per-container status lines, such as {@code Pulling web ... done}. */
  private static final Pattern STATUS = Pattern.compile("^\\S.* \\.\\.\\. ?\\S*$");

  private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{12,64}");

  private static final int CAPTURE_BYTES = 64 * 1024;

  private final StepContext ctx;
  private final List<String> cli;
  private final Path file;
  private final String project;
  private final String service;
  private final String host;
  private final Path dockerConfig;

  private Compose(
      StepContext ctx,
      List<String> cli,
      Path file,
      String project,
      String service,
      String host,
      Path dockerConfig) {
    this.ctx = ctx;
    this.cli = cli;
    this.file = file;
    this.project = project;
    this.service = service;
    this.host = host;
    this.dockerConfig = dockerConfig;
  }

  /**
   * Resolves the arguments inside an action.
   *
   * @throws StepFailedException when the compose file or the CLI is missing
   */
  static Compose of(StepContext ctx, ComposeArgs args) {
    Path file = StepArgs.path(ctx, args.file());
    if (!Files.isRegularFile(file)) {
      throw new StepFailedException("compose file " + file + " does not exist");
    }
    String service = ctx.resolveText(args.service());
    checkService(file, service);
    String project = args.project() == null ? null : ctx.resolveText(args.project()).strip();
    return new Compose(
        ctx,
        cli(ctx, args.command()),
        file,
        project == null || project.isEmpty() ? null : project,
        service,
        DockerHost.resolve(ctx, args.host()),
        args.dockerConfig() == null ? null : StepArgs.path(ctx, args.dockerConfig()));
  }

  String service() {
    return service;
  }

  Path file() {
    return file;
  }

  String host() {
    return host;
  }

  /**
   * Runs {@code <cli> -f FILE [-p PROJECT] ARGS...}, its output in the run log.
   *
   * @throws StepFailedException with the CLI's own error lines when it exits with another code than
   *     0
   */
  void run(String... args) throws InterruptedException {
    List<String> argv = argv(args);
    ctx.log("$ " + String.join(" ", argv));
    check(
        argv,
        runner(argv)
            .logOnly(line -> !PROGRESS.matcher(line).find())
            .run(argv, dir(), env(), CAPTURE_BYTES));
  }

  /** {@code stop [-t SECONDS] SERVICE}; without seconds, compose uses the file's grace period. */
  void stop(Integer stopSeconds) throws InterruptedException {
    if (stopSeconds == null) {
      run("stop", service);
    } else {
      run("stop", "-t", String.valueOf(stopSeconds), service);
    }
  }

  /**
   * The service's containers as the daemon describes them ({@code docker inspect}), running ones
   * first; {@code docker-compose run} containers are left out. Empty when the service has none.
   */
  List<JsonNode> containers(Docker docker) throws InterruptedException {
    List<String> argv = argv("ps", "-a", "-q", service);
    ProcessRunner.Result result =
        runner(argv).logOnly(line -> false).run(argv, dir(), env(), CAPTURE_BYTES);
    check(argv, result);
    List<JsonNode> running = new ArrayList<>();
    List<JsonNode> stopped = new ArrayList<>();
    for (String line : result.stdout().split("\\R")) {
      String id = line.strip();
      if (!CONTAINER_ID.matcher(id).matches()) {
        continue;
      }
      Optional<JsonNode> container = docker.findContainer(id);
      if (container.isEmpty()
          || "True"
              .equalsIgnoreCase(
                  container.get().path("Config").path("Labels").path(ONE_OFF_LABEL).asText())) {
        continue; // removed in the meantime, or a one-off container
      }
      (running(container.get()) ? running : stopped).add(container.get());
    }
    running.addAll(stopped);
    return running;
  }

  static boolean running(JsonNode container) {
    return container.path("State").path("Running").asBoolean();
  }

  /** The container's name without docker's leading slash. */
  static String name(JsonNode container) {
    return container.path("Name").asText().replaceFirst("^/", "");
  }

  /** The service's container as outputs name it: {@code container}, {@code containerId}, ... */
  static Map<String, Object> describe(JsonNode container) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("container", name(container));
    outputs.put("containerId", container.path("Id").asText());
    outputs.put("image", container.path("Config").path("Image").asText());
    outputs.put("imageId", container.path("Image").asText());
    return outputs;
  }

  private List<String> argv(String... args) {
    List<String> argv = new ArrayList<>(cli);
    argv.add("-f");
    argv.add(file.toString());
    if (project != null) {
      argv.add("-p");
      argv.add(project);
    }
    argv.addAll(List.of(args));
    return argv;
  }

  private ProcessRunner runner(List<String> argv) {
    return new ProcessRunner(String.join(" ", argv), ctx);
  }

  private Path dir() {
    return file.getParent();
  }

  private Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DOCKER_HOST", host);
    if (dockerConfig != null) {
      env.put("DOCKER_CONFIG", dockerConfig.toString());
    }
    return env;
  }

  private static void check(List<String> argv, ProcessRunner.Result result) {
    if (result.exitCode() != 0) {
      String reason = errorLines(result.stderr().isBlank() ? result.stdout() : result.stderr());
      throw new StepFailedException(
          String.join(" ", argv)
              + " exited with "
              + result.exitCode()
              + (reason.isEmpty() ? "" : ": " + reason));
    }
  }

  /**
   * What the CLI said went wrong. Compose 1 prefixes its errors with {@code ERROR:} (once per
   * container and once per service, with the same words), and may end with a summary that says
   * nothing ({@code Encountered errors while bringing up the project.}); other messages (unknown
   * service, a YAML error) are the last paragraph of its output.
   */
  static String errorLines(String output) {
    List<String> lines = output.strip().lines().map(String::strip).toList();
    List<String> errors =
        lines.stream()
            .filter(line -> line.startsWith("ERROR:"))
            .map(line -> line.substring("ERROR:".length()).strip())
            .map(line -> line.replaceFirst("^for \\S+\\s+", ""))
            .filter(line -> !line.isEmpty())
            .distinct()
            .toList();
    if (errors.isEmpty()) {
      int from = lines.size();
      while (from > 0 && !lines.get(from - 1).isEmpty()) {
        from--;
      }
      errors =
          lines.subList(from, lines.size()).stream()
              .filter(line -> !STATUS.matcher(line).matches())
              .toList();
    }
    return String.join(" ", errors.subList(Math.max(0, errors.size() - 3), errors.size()));
  }

  /**
   * A service the file does not define is named before the CLI runs, with the services there are
   * and a suggestion; the CLI would only say {@code No such service}. A file {@link ComposeFile}
   * cannot read is left to the CLI to judge.
   */
  private static void checkService(Path file, String service) {
    ComposeFile parsed;
    try {
      parsed = ComposeFile.read(file);
    } catch (StepFailedException | IOException e) {
      return;
    }
    if (!parsed.mayDefine(service)) {
      throw parsed.noSuchService(service);
    }
  }

  /** The CLI's argv, its program found now so that a missing one is named plainly. */
  private static List<String> cli(StepContext ctx, List<?> command) {
    List<String> argv = new ArrayList<>();
    command.forEach(part -> argv.add(ctx.resolveText(part)));
    String program = argv.get(0);
    if (program.contains("/")) {
      Path path = StepArgs.path(ctx, program);
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new StepFailedException(
            "compose CLI " + path + " does not exist or is not executable: fix composeCommand");
      }
      argv.set(0, path.toString());
    } else if (onPath(program).isEmpty()) {
      throw new StepFailedException(
          program
              + " not found on PATH: install it or set composeCommand"
              + " (for the compose plugin: composeCommand: ['docker', 'compose'])");
    }
    return List.copyOf(argv);
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
