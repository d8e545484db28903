package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
