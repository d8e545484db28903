package io.lockstep.database;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The small POSIX shell wrapper the remote transports ({@code docker}, {@code ssh}) run a tool
 * under: it reports its process id on stderr (the tool keeps it, through {@code exec}), so a
 * cancelled step can kill the tool where it runs; it reads a private environment file and deletes
 * it at once, so a password never appears in an argument vector; and it tells a missing program
 * apart from one that failed.
 *
 * <p>The argument vector is {@code sh -c SCRIPT lockstep-tool ENVFILE PROGRAM ARGS...}: the values
 * are arguments of the script, never parts of it, so nothing in them is interpreted.
 */
public final class ToolScript {

  /** The first stderr line: {@code lockstep-pid 1234}. */
  public static final String PID_PREFIX = "lockstep-pid ";

  /** The stderr line of a program that does not exist where the tool runs; it exits 127. */
  public static final String NOT_FOUND = "lockstep-tool-not-found";

  static final String SCRIPT =
      "echo \""
          + PID_PREFIX
          + "$$\" >&2; "
          + "if [ -n \"$1\" ]; then . \"$1\"; rm -f -- \"$1\"; fi; shift; "
          + "command -v \"$1\" >/dev/null 2>&1 || { echo "
          + NOT_FOUND
          + " >&2; exit 127; }; "
          + "exec \"$@\"";

  private ToolScript() {}

  /**
   * The argument vector that runs {@code call}'s program and arguments under the wrapper.
   *
   * @param envFile absolute path of a file {@link #envFile} wrote, which the wrapper sources and
   *     deletes, or empty for none
   */
  public static List<String> argv(ToolCall call, String envFile) {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "lockstep-tool", envFile));
    argv.add(call.program());
    argv.addAll(call.args());
    return argv;
  }

  /** The content of an environment file: {@code export NAME='value'} lines. */
  public static String envFile(Map<String, String> env) {
    StringBuilder text = new StringBuilder();
    env.forEach(
        (name, value) -> {
          if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an environment variable name: " + name);
          }
          text.append("export ")
              .append(name)
              .append("='")
              .append(value.replace("'", "'\\''"))
              .append("'\n");
        });
    return text.toString();
  }

  /** Whether a result is the wrapper's report of a missing program. */
  public static boolean notFound(int exitCode, String stderr) {
    return exitCode == 127 && stderr.lines().anyMatch(l -> l.strip().equals(NOT_FOUND));
  }

  /**
   * Stderr of a tool run under the wrapper: takes the process id off the first line, passes the
   * rest on. {@link #pid()} is 0 until the line arrived.
   */
  public static final class Stderr extends OutputStream {
    private final OutputStream next;
    private final StringBuilder first = new StringBuilder();
    private boolean firstDone;
    private volatile long pid;

    public Stderr(OutputStream next) {
      this.next = next;
    }

    /** The tool's process id where it runs, or 0 when not known yet. */
    public long pid() {
      return pid;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length)
        throws java.io.IOException {
      int at = offset;
      int end = offset + length;
      while (!firstDone && at < end) {
        byte b = bytes[at++];
        if (b == '\n' || first.length() > 200) {
          firstDone = true;
          String line = first.toString();
          if (line.startsWith(PID_PREFIX)) {
            try {
              pid = Long.parseLong(line.substring(PID_PREFIX.length()).strip());
            } catch (NumberFormatException e) {
              next.write(line.getBytes(StandardCharsets.UTF_8));
            }
          } else {
            next.write(
                (line + (b == '\n' ? "\n" : String.valueOf((char) (b & 0xff))))
                    .getBytes(StandardCharsets.UTF_8));
          }
        } else {
          first.append((char) (b & 0xff));
        }
      }
      if (at < end) {
        next.write(bytes, at, end - at);
      }
    }

    /** Whatever came before a first newline that never came. */
    @Override
    public synchronized void close() throws java.io.IOException {
      if (!firstDone && first.length() > 0) {
        next.write(first.toString().getBytes(StandardCharsets.UTF_8));
      }
      firstDone = true;
    }
  }
}
