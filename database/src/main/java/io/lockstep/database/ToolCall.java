package io.lockstep.database;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a native tool.
 *
 * @param program the program: a name looked up where the tool runs, or a path
 * @param args its arguments, passed without a shell
 * @param env extra environment variables (the place for a password)
 * @param stdin what the tool reads, or {@code null} for nothing
 * @param stdout where its output goes, or {@code null} to keep the last 64 KiB in {@link
 *     ToolResult#stdout()}
 */
public record ToolCall(
    String program,
    List<String> args,
    Map<String, String> env,
    InputStream stdin,
    OutputStream stdout) {

  public ToolCall {
    Objects.requireNonNull(program, "program");
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  /** Leaves the environment's values out: it may hold the password. */
  @Override
  public String toString() {
    return "ToolCall[" + display() + ", env=" + env.keySet() + "]";
  }

  /** The program and its arguments, for the run log; never holds a secret. */
  public String display() {
    StringBuilder text = new StringBuilder(program);
    args.forEach(
        arg -> text.append(' ').append(arg.isEmpty() || arg.contains(" ") ? "'" + arg + "'" : arg));
    return text.toString();
  }
}
