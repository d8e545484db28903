package io.lockstep.steps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What every step that starts a local process needs: the environment it inherits, the message when
 * it cannot start, and ending it with everything it started. Shared by {@code command} and
 * connectors that run native tools ({@code pg_dump}, {@code mysql}), so a cancelled run ends them
 * all the same way.
 */
public final class Processes {

  /** How long a process gets to exit after SIGTERM before it is killed. */
  public static final long TERMINATE_GRACE_MILLIS = 3_000;

  /** Environment variables the default secret resolver reads; never inherited by processes. */
  public static final String SECRET_VARIABLE_PREFIX = "LOCKSTEP_SECRET_";

  private Processes() {}

  /**
   * The engine's environment minus the variables the default secret resolver reads, plus the step's
   * own: a process gets only the secrets it is given.
   */
  public static void childEnvironment(Map<String, String> inherited, Map<String, String> given) {
    inherited.keySet().removeIf(name -> name.startsWith(SECRET_VARIABLE_PREFIX));
    inherited.putAll(given);
  }

  /** Whether {@link ProcessBuilder#start()} failed because the program does not exist. */
  public static boolean notFound(IOException e) {
    return String.valueOf(e.getMessage()).contains("error=2,");
  }

  /** {@code cannot run 'foo': no such file or command}, from the exception of a failed start. */
  public static String startFailure(String program, IOException e) {
    String message = String.valueOf(e.getMessage());
    if (notFound(e)) {
      return "cannot run '" + program + "': no such file or command";
    }
    if (message.contains("error=13,")) {
      return "cannot run '" + program + "': permission denied";
    }
    int reason = message.indexOf("): ");
    return "cannot run '"
        + program
        + "': "
        + (reason >= 0 ? message.substring(reason + 3) : message);
  }

  /**
   * Terminates the process and every descendant, politely first: SIGTERM to the whole tree, then
   * SIGKILL to whatever is still alive after {@link #TERMINATE_GRACE_MILLIS}. Descendants are
   * collected before anything is signalled, so children re-parented by a dying shell are not
   * missed. Keeps the caller's interrupt status.
   */
  public static void destroyTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TERMINATE_GRACE_MILLIS * 1_000_000;
    boolean interrupted = Thread.interrupted();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0) {
          break;
        }
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      } catch (Exception e) {
        break;
      }
    }
    for (ProcessHandle handle : tree) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
