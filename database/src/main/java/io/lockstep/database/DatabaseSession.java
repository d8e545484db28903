package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The tools of one step talking to one server: finds each tool (a path from {@code tools}, else the
 * engine's names), runs it through the transport with the step's login, and turns a missing tool or
 * a refused connection into one clear message. Closing it deletes the login's private file.
 */
final class DatabaseSession implements AutoCloseable {

  private final StepContext ctx;
  private final Connection connection;
  private final Transport transport;
  private final Map<String, String> tools;
  private final Login login;

  private DatabaseSession(
      StepContext ctx,
      Connection connection,
      Transport transport,
      Map<String, String> tools,
      Login login) {
    this.ctx = ctx;
    this.connection = connection;
    this.transport = transport;
    this.tools = tools;
    this.login = login;
  }

  static DatabaseSession open(
      StepContext ctx, Connection connection, Transport transport, Map<String, String> tools)
      throws IOException {
    Login login = connection.engine().login(connection, transport, ctx);
    return new DatabaseSession(ctx, connection, transport, tools, login);
  }

  DatabaseEngine engine() {
    return connection.engine();
  }

  /** The first line of {@code <tool> --version}; also proves the tool is there. */
  String toolVersion(String tool) throws IOException, InterruptedException {
    ToolResult result = run(tool, List.of("--version"), null, null, false);
    String first = result.stdout().strip().lines().findFirst().orElse("").strip();
    if (result.exitCode() != 0 || first.isEmpty()) {
      throw new StepFailedException(
          tool
              + " --version "
              + transport.where()
              + " "
              + result.exitedWith(result.lastStderrLine()));
    }
    return first;
  }

  /** What a backup learns before it dumps. */
  record Preflight(String toolVersion, ServerInfo server) {}

  /**
   * {@code <tool> --version} and {@link #serverInfo()} at the same time: each starts a process and
   * the query connects, so together they take the time of the slower one, not the sum (about 0.05 s
   * of the 0.12 s the three calls took one after the other before a 1 s dump). The tool's failure
   * is reported first, as when it ran first; the other call is then ended.
   */
  Preflight preflight(String tool) throws IOException, InterruptedException {
    FutureTask<ServerInfo> server = new FutureTask<>(this::serverInfo);
    Thread thread = new Thread(server, "lockstep-database-server-info");
    thread.setDaemon(true);
    thread.start();
    String version;
    try {
      version = toolVersion(tool);
    } catch (IOException | InterruptedException | RuntimeException e) {
      thread.interrupt(); // ends the query's process, through the transport's interruption
      throw e;
    }
    try {
      return new Preflight(version, server.get());
    } catch (InterruptedException e) {
      thread.interrupt();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Connects and asks for the server's version and the database's size. */
  ServerInfo serverInfo() throws IOException, InterruptedException {
    return ServerInfo.parse(query(engine().serverInfoQuery()));
  }

  /** Runs a query with the client; a failure is explained in one line. */
  String query(String sql) throws IOException, InterruptedException {
    DatabaseEngine engine = engine();
    ToolResult result =
        run(engine.clientTool(), engine.queryArgs(connection, sql), null, null, true);
    if (result.exitCode() != 0) {
      throw new StepFailedException(engine.explain(connection, result.stderr()));
    }
    return result.stdout();
  }

  /**
   * Runs a tool with the login's arguments in front of {@code args} (when {@code withLogin}).
   *
   * @throws StepFailedException when the tool is not installed, saying what to install
   */
  ToolResult run(
      String tool, List<String> args, InputStream stdin, OutputStream stdout, boolean withLogin)
      throws IOException, InterruptedException {
    String given = tools.get(tool);
    List<String> programs = given != null ? List.of(given) : engine().programs(tool);
    List<String> argv = new ArrayList<>(withLogin ? login.args() : List.of());
    argv.addAll(args);
    ToolNotFoundException missing = null;
    for (String program : programs) {
      try {
        return transport.run(
            new ToolCall(program, argv, withLogin ? login.env() : Map.of(), stdin, stdout), ctx);
      } catch (ToolNotFoundException e) {
        missing = missing == null ? e : missing;
      }
    }
    String fix =
        given != null
            ? "correct tools." + tool
            : "install "
                + engine().installHint()
                + ", or set tools: ["
                + tool
                + ": '/path/to/"
                + tool
                + "']";
    throw new StepFailedException(missing.getMessage() + ": " + fix);
  }

  /** How a tool call looks in the run log: no secret is on it. */
  String display(String tool, List<String> args) {
    String given = tools.get(tool);
    List<String> argv = new ArrayList<>(login.args());
    argv.addAll(args);
    return new ToolCall(given != null ? given : tool, argv, Map.of(), null, null).display();
  }

  @Override
  public void close() {
    login.close();
  }
}
