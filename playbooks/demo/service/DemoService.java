/*
 * The small real service that `bin/demo` upgrades: HTTP on 127.0.0.1 (/health, /version, /data),
 * versioned release directories with a `current` link, a data file whose format a newer release
 * migrates forward on its first start (there is no way back but the backup), and a log with
 * ISO-8601 timestamps. Needs only a JDK: run it with `java DemoService.java COMMAND ...`.
 *
 *   install --home DIR [--versions 1.0.0,1.1.0] [--current 1.0.0]   lay out (and compile) releases
 *                                                and the data file
 *   start   --home DIR --port N [--fault true]   start `current` in the background, wait until it
 *                                                listens; --fault makes it start but report unhealthy
 *   stop    --home DIR                           stop it (SIGTERM, then kill after 10 s); idempotent
 *   status  --home DIR                           print pid, version and data format
 *   serve   --home DIR --port N [--fault true]   what `start` runs in the background
 *
 * Layout under DIR: releases/<version>/{DemoService.java,classes/,release.properties}, current -> releases/<v>,
 * data/store.txt, logs/service.log, logs/console.log, run/service.pid.
 */

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

public class DemoService {

  static final String FORMAT_2_HEADER = "# demo data, format 2";

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println("usage: java DemoService.java install|start|stop|status|serve --home DIR ...");
      System.exit(2);
    }
    Map<String, String> opts = options(argv);
    Path home = Path.of(require(opts, "home")).toAbsolutePath().normalize();
    int code =
        switch (argv[0]) {
          case "install" -> install(home, opts);
          case "start" -> start(home, opts);
          case "stop" -> stop(home);
          case "status" -> status(home);
          case "serve" -> serve(home, opts);
          default -> {
            System.err.println("unknown command " + argv[0]);
            yield 2;
          }
        };
    if (!argv[0].equals("serve")) {
      System.exit(code);
    }
  }

  // ---- install ------------------------------------------------------------------------------

  static int install(Path home, Map<String, String> opts) throws IOException {
    Path source = Path.of(opts.getOrDefault("source", System.getProperty("jdk.launcher.sourcefile")));
    String[] versions = opts.getOrDefault("versions", "1.0.0,1.1.0").split(",");
    String current = opts.getOrDefault("current", versions[0]);
    for (int i = 0; i < versions.length; i++) {
      Path release = Files.createDirectories(home.resolve("releases").resolve(versions[i]));
      Files.copy(source, release.resolve("DemoService.java"), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(
          release.resolve("release.properties"),
          "version=" + versions[i] + "\ndataFormat=" + (i + 1) + "\n");
      // Compiled once here, so each start takes a fraction of a second instead of a compilation.
      javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
      if (javac != null
          && javac.run(null, null, null, "-d", release.resolve("classes").toString(),
                  release.resolve("DemoService.java").toString()) != 0) {
        throw new IOException("cannot compile release " + versions[i]);
      }
    }
    Files.createDirectories(home.resolve("data"));
    Files.createDirectories(home.resolve("logs"));
    Files.createDirectories(home.resolve("run"));
    Files.writeString(home.resolve("data/store.txt"), "format=1\ngreeting=hello\norders=42\n");
    Path link = home.resolve("current");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of("releases", current));
    System.out.println("installed releases " + String.join(", ", versions) + " in " + home + "; current: " + current);
    return 0;
  }

  // ---- start / stop / status ----------------------------------------------------------------

  static int start(Path home, Map<String, String> opts) throws Exception {
    int port = Integer.parseInt(require(opts, "port"));
    Optional<ProcessHandle> running = running(home);
    if (running.isPresent()) {
      System.err.println("already running (pid " + running.get().pid() + "); stop it first");
      return 1;
    }
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      // Free: the service can have it.
    } catch (IOException inUse) {
      System.err.println("port " + port + " on 127.0.0.1 is in use by another process");
      return 1;
    }
    Path release = home.resolve("current").toRealPath();
    String version = release(release).getProperty("version");
    String java = ProcessHandle.current().info().command().orElse("java");
    Path classes = release.resolve("classes");
    List<String> program =
        Files.isDirectory(classes)
            ? List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classes.toString(), "DemoService")
            : List.of(java, release.resolve("DemoService.java").toString());
    List<String> command = new ArrayList<>();
    // Its own session, like a daemon: a Ctrl-C or a closed terminal of the caller must not stop it.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.addAll(program);
    command.addAll(
        List.of(
            "serve",
            "--home",
            home.toString(),
            "--port",
            String.valueOf(port),
            "--fault",
            opts.getOrDefault("fault", "false")));
    Files.createDirectories(home.resolve("logs"));
    File console = home.resolve("logs/console.log").toFile();
    // Output to a file and no inherited stdin: the caller's pipes close when `start` exits.
    Process server =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(console))
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .start();
    Files.createDirectories(home.resolve("run"));
    Files.writeString(home.resolve("run/service.pid"), server.pid() + "\n");
    Files.writeString(home.resolve("run/service.port"), port + "\n");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        Files.deleteIfExists(home.resolve("run/service.pid"));
        System.err.println("version " + version + " exited with " + server.exitValue() + " on start:");
        tail(home.resolve("logs/service.log"), 5).forEach(l -> System.err.println("  " + l));
        return 1;
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        System.out.println("started version " + version + " (pid " + server.pid() + ") on 127.0.0.1:" + port);
        return 0;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    System.err.println("version " + version + " did not listen on port " + port + " within 60 s");
    return 1;
  }

  static int stop(Path home) throws Exception {
    Optional<ProcessHandle> running = running(home);
    if (running.isEmpty()) {
      Files.deleteIfExists(home.resolve("run/service.pid"));
      System.out.println("not running");
      return 0;
    }
    ProcessHandle process = running.get();
    process.destroy();
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      process.onExit().get(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(home.resolve("run/service.pid"));
    System.out.println("stopped pid " + process.pid());
    return 0;
  }

  static int status(Path home) throws IOException {
    Optional<ProcessHandle> running = running(home);
    String current = home.resolve("current").toRealPath().getFileName().toString();
    String serving = "";
    if (running.isPresent()) {
      String port = Files.readString(home.resolve("run/service.port")).trim();
      try (java.io.InputStream in = new java.net.URL("http://127.0.0.1:" + port + "/version").openStream()) {
        serving = ", serving version " + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        serving = ", /version fails: " + e.getMessage();
      }
    }
    System.out.println(
        (running.map(p -> "running, pid " + p.pid()).orElse("not running")) + serving
            + "; current release "
            + current
            + "; data format "
            + dataFormat(home.resolve("data/store.txt")));
    return 0;
  }

  static Optional<ProcessHandle> running(Path home) throws IOException {
    Path pidFile = home.resolve("run/service.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }

  // ---- serve --------------------------------------------------------------------------------

  static int serve(Path home, Map<String, String> opts) throws Exception {
    int port = Integer.parseInt(require(opts, "port"));
    boolean fault = Boolean.parseBoolean(opts.getOrDefault("fault", "false"));
    Path release = home.resolve("current").toRealPath();
    Properties props = release(release);
    String version = props.getProperty("version");
    int supported = Integer.parseInt(props.getProperty("dataFormat"));
    Path data = home.resolve("data/store.txt");
    Log log = new Log(home.resolve("logs/service.log"));

    int format = dataFormat(data);
    if (format > supported) {
      log.write("ERROR", "data format " + format + " is newer than version " + version
          + " understands (" + supported + "); restore the pre-upgrade backup");
      System.exit(3);
    }
    if (format < supported) {
      migrate(data, version);
      log.write("INFO", "migrated " + home.relativize(data) + " from format " + format + " to "
          + supported + " (forward-only: older versions cannot read it)");
    }
    Map<String, String> values = read(data);

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    String problem = "cache warm-up timed out (fault injected with --fault true)";
    server.createContext("/health", ex -> reply(ex, fault ? 503 : 200, fault ? "unhealthy: " + problem : "ok"));
    server.createContext("/version", ex -> reply(ex, fault ? 503 : 200, fault ? "unhealthy" : version));
    server.createContext("/data", ex -> reply(ex, 200, values.toString()));
    server.start();
    log.write("INFO", "started version " + version + " on 127.0.0.1:" + port + " (pid "
        + ProcessHandle.current().pid() + ")");
    if (fault) {
      log.write("ERROR", "health check failing: " + problem);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(0);
      log.write("INFO", "stopped version " + version);
    }));
    return 0;
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ---- data ---------------------------------------------------------------------------------

  static int dataFormat(Path data) throws IOException {
    String first = Files.readAllLines(data).stream().findFirst().orElse("");
    if (first.equals("format=1")) {
      return 1;
    }
    if (first.equals(FORMAT_2_HEADER)) {
      return 2;
    }
    throw new IOException(data + ": unknown data format: " + first);
  }

  static Map<String, String> read(Path data) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(data)) {
      if (line.startsWith("#") || line.startsWith("format=")) {
        continue;
      }
      String[] kv = line.contains(": ") ? line.split(": ", 2) : line.split("=", 2);
      if (kv.length == 2) {
        values.put(kv[0], kv[1]);
      }
    }
    return values;
  }

  /** Format 1 (key=value) to format 2 (key: value under a header); written atomically. */
  static void migrate(Path data, String version) throws IOException {
    StringBuilder out = new StringBuilder(FORMAT_2_HEADER + "\n");
    read(data).forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
    out.append("migratedBy: ").append(version).append('\n');
    Path tmp = data.resolveSibling(data.getFileName() + ".migrating");
    Files.writeString(tmp, out);
    Files.move(tmp, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** The service log: one line per event, ISO-8601 UTC timestamp first. */
  record Log(Path file) {
    synchronized void write(String level, String message) {
      String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + message + "\n";
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.err.print(line);
      }
    }
  }

  static Properties release(Path dir) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(dir.resolve("release.properties"))) {
      props.load(in);
    }
    return props;
  }

  static List<String> tail(Path file, int n) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file);
    return new ArrayList<>(lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  static Map<String, String> options(String[] argv) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + argv[i]);
      }
      opts.put(argv[i].substring(2), argv[i + 1]);
    }
    return opts;
  }

  static String require(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null) {
      System.err.println("missing --" + name);
      System.exit(2);
    }
    return value;
  }
}
