package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import java.io.IOException;

/**
 * Where a database's native tools run: on the machine running Lockstep ({@code local}), in a
 * container ({@code docker exec}), on a host over SSH, later in a pod ({@code kubectl exec}). A
 * step selects one with its {@code via} argument; a {@link TransportProvider} opens it for one
 * step's action and {@link #close()} releases what it holds (a Docker client lease, say).
 *
 * <p>A transport moves bytes, it does not interpret them: the dump streams from the tool's stdout
 * into the run's artifacts on the machine running Lockstep, and a restore streams the file into the
 * tool's stdin, whatever the transport. Secrets reach the tool through the call's environment or a
 * {@link #privateFile private file}, never its arguments, so they are not visible in {@code ps}; a
 * transport that cannot hand over an environment privately (SSH) puts it in a private file too.
 */
public interface Transport extends AutoCloseable {

  /** The name {@code via} selects, such as {@code local}. */
  String name();

  /** Where tools run, for messages: {@code on this machine}, {@code in container tyk-db}. */
  String where();

  /**
   * Runs one tool to completion, feeding {@link ToolCall#stdin()} and draining its stdout into
   * {@link ToolCall#stdout()}, with flat memory. Cancellation or interruption of the step ends the
   * tool and everything it started before this method returns.
   *
   * @throws ToolNotFoundException when the program does not exist where tools run
   * @throws IOException when the output cannot be written or the input read
   * @throws java.util.concurrent.CancellationException when the step was cancelled
   */
  ToolResult run(ToolCall call, StepContext ctx) throws IOException, InterruptedException;

  /**
   * Writes {@code content} to a file only the tools' user can read, where tools run, for a tool
   * that reads its password from a file ({@code mysql --defaults-extra-file}). Closing the handle
   * deletes the file.
   */
  PrivateFile privateFile(String name, String content, StepContext ctx) throws IOException;

  /** Releases what the transport holds for the step; it runs no tool afterwards. */
  @Override
  default void close() {}

  /** A file written by {@link #privateFile}; {@link #close()} deletes it. */
  interface PrivateFile extends AutoCloseable {

    /** The path as the tool sees it. */
    String path();

    @Override
    void close();
  }
}
