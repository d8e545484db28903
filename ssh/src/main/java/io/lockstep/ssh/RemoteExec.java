package io.lockstep.ssh;

import io.lockstep.engine.model.StepContext;
import io.lockstep.steps.OutputPump;
import io.lockstep.steps.OutputTail;
import io.lockstep.steps.StepFailedException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * Runs one command line in a new session on an open connection, like {@link
 * io.lockstep.steps.ProcessRunner} does for a local process: each line of stdout and stderr goes to
 * the run log as it arrives, through a bounded queue read on the action's thread; the tails are
 * kept. A cancelled step (timeout, failed branch) kills the remote process group with TERM, then
 * KILL, then closes the channel.
 *
 * <p>Closing the channel alone would leave a quiet command (such as {@code sleep}) running on the
 * host, and OpenSSH refuses channel signals for root logins. So the command line first reports its
 * shell's process id on stderr (sshd starts each command in a new session, so that id is also the
 * process group's), and stopping runs {@code kill -- -PGID} over a second channel, with the
 * command's sudo when it had one. That first line is read off and never logged or kept.
 */
final class RemoteExec {

  /**
   * How a remote command ended.
   *
   * @param exitCode its exit status
   * @param stdout the last {@code captureBytes} of its stdout, trimmed
   * @param stderr the last {@code captureBytes} of its stderr, trimmed
   * @param lastStderrLine its last stderr line that was not blank, or empty
   */
  record Result(int exitCode, String stdout, String stderr, String lastStderrLine) {}

  /** How long a signalled command may take to end before it gets the next, harder signal. */
  private static final long STOP_GRACE_MILLIS = 2_000;

  private static final String END = new String("end of stream");

  /** The first stderr line of every command line {@link #wrap} makes. */
  private static final String PID_PREFIX = "lockstep-pid ";

  /** How far into stderr the process id line is looked for. */
  private static final int PID_LINE_MAX = 4096;

  private final String what;
  private final StepContext ctx;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
  private volatile boolean abandoned;
  private volatile String lastStderr = "";
  private volatile long processGroup;
  private SshConnection connection;
  private boolean quietStdout;
  private final List<String> killPrefix;

  /**
   * @param what the command as messages name it
   * @param ctx the step's context: its log, its cancellation
   * @param killPrefix what the kill that stops the command runs under: the command's own sudo
   *     words, or nothing
   */
  RemoteExec(String what, StepContext ctx, List<String> killPrefix) {
    this.what = what;
    this.ctx = ctx;
    this.killPrefix = List.copyOf(killPrefix);
  }

  /** Stdout is kept but not logged: for the connector's own helper commands. */
  RemoteExec quietStdout() {
    this.quietStdout = true;
    return this;
  }

  /** {@code line} preceded by the report of its process id that {@link #run} reads off stderr. */
  static String wrap(String line) {
    return "echo \"" + PID_PREFIX + "$$\" >&2; " + line;
  }

  /**
   * Runs {@code commandLine} (already quoted, then passed through {@link #wrap}) and waits for it
   * to end.
   *
   * @throws SshConnection.Lost when the connection was dead before the command started
   * @throws StepFailedException when the connection dropped while it ran, or it was killed
   * @throws CancellationException when the step was cancelled (the command is stopped first)
   */
  Result run(SshConnection connection, String commandLine, int captureBytes)
      throws InterruptedException {
    this.connection = connection;
    Session session = connection.session();
    Session.Command command;
    try {
      command = session.exec(commandLine);
    } catch (IOException e) {
      close(session);
      throw new SshConnection.Lost(what + ": the command could not start (" + e + ")", e);
    }
    try {
      command.getOutputStream().close();
    } catch (IOException e) {
      // stdin already gone: the command does not read it
    }
    OutputTail stdout = new OutputTail(captureBytes);
    OutputTail stderr = new OutputTail(captureBytes);
    pump(command.getInputStream(), stdout, quietStdout ? line -> {} : this::enqueue, "stdout");
    pump(
        new PidLineReader(command.getErrorStream()),
        stderr,
        line -> {
          if (!line.isBlank()) {
            lastStderr = line;
          }
          enqueue(line);
        },
        "stderr");
    try {
      awaitStreams(command);
      command.join(5, TimeUnit.SECONDS);
    } catch (InterruptedException | CancellationException e) {
      stop(command);
      throw e;
    } catch (IOException e) {
      // the channel closed without an exit status: handled below
    } finally {
      abandoned = true;
      lines.clear();
      close(session);
    }
    Integer status = command.getExitStatus();
    if (status == null) {
      if (command.getExitSignal() != null) {
        throw new StepFailedException(
            what + " was killed by signal " + command.getExitSignal() + tail());
      }
      throw new StepFailedException(
          what
              + ": the connection dropped while the command ran; it may not have finished, and the"
              + " next step connects again"
              + tail());
    }
    return new Result(status, stdout.text().strip(), stderr.text().strip(), lastStderr);
  }

  private String tail() {
    return lastStderr.isBlank() ? "" : " (last error line: " + lastStderr + ")";
  }

  /** Logs lines on this thread until both streams ended; polls cancellation meanwhile. */
  private void awaitStreams(Session.Command command) throws InterruptedException {
    int open = 2;
    while (open > 0) {
      String line = lines.poll(50, TimeUnit.MILLISECONDS);
      if (line == END) {
        open--;
      } else if (line != null) {
        ctx.log(line);
      }
      if (ctx.cancellation().isCancelled()) {
        throw new CancellationException(ctx.cancellation().reason());
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** Ends the remote command: its process group gets TERM, then KILL if it lingers. */
  private void stop(Session.Command command) {
    for (String signal : List.of("TERM", "KILL")) {
      kill(command, signal);
      try {
        command.join(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (IOException e) {
        // the channel closed: the command has ended
      }
      if (!command.isOpen()) {
        break;
      }
    }
    String reason = ctx.cancellation().reason();
    ctx.log(what + ": stopped on the host (" + (reason == null ? "interrupted" : reason) + ")");
  }

  /** Signals the command's process group over a second channel, and over its own. */
  private void kill(Session.Command command, String signal) {
    try {
      command.signal(Signal.valueOf(signal));
    } catch (IOException | RuntimeException e) {
      // a server that does not take channel signals: the kill below does it
    }
    long group = processGroup;
    if (group <= 1) {
      return;
    }
    List<String> words = new ArrayList<>(killPrefix);
    words.addAll(List.of("kill", "-" + signal, "--", "-" + group));
    try (Session session = connection.session();
        Session.Command kill = session.exec(ShellQuote.join(words))) {
      kill.join(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (IOException | RuntimeException e) {
      ctx.log(what + ": could not signal process group " + group + " on the host: " + e);
    }
  }

  private static void close(Session session) {
    try {
      session.close();
    } catch (IOException e) {
      // the channel is gone either way
    }
  }

  /** Hands a line to the action's thread, waiting while the queue is full. */
  private void enqueue(String line) {
    try {
      while (!abandoned && !lines.offer(line, 100, TimeUnit.MILLISECONDS)) {
        // the log is slower than the command: wait for room, so the window throttles the host
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads the process id line off the front of stderr; passes everything after it through. A stream
   * that does not start with one is passed through whole.
   */
  private final class PidLineReader extends FilterInputStream {
    private byte[] pending;
    private int pendingAt;

    PidLineReader(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (pending == null) {
        pending = firstLine();
      }
      if (pendingAt < pending.length) {
        int n = Math.min(length, pending.length - pendingAt);
        System.arraycopy(pending, pendingAt, buffer, offset, n);
        pendingAt += n;
        return n;
      }
      return in.read(buffer, offset, length);
    }

    /**
     * The bytes before the process id line (what the login shell printed first, usually nothing),
     * or all bytes read when no such line came within the first {@link #PID_LINE_MAX} bytes.
     */
    private byte[] firstLine() throws IOException {
      ByteArrayOutputStream before = new ByteArrayOutputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while (before.size() + line.size() < PID_LINE_MAX && (b = in.read()) != -1) {
        line.write(b);
        if (b != '\n') {
          continue;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.startsWith(PID_PREFIX)) {
          try {
            processGroup = Long.parseLong(text.substring(PID_PREFIX.length()).strip());
            return before.toByteArray();
          } catch (NumberFormatException e) {
            // not ours after all: pass it on
          }
        }
        line.writeTo(before);
        line.reset();
      }
      line.writeTo(before);
      return before.toByteArray();
    }
  }

  private void pump(InputStream in, OutputTail tail, Consumer<String> sink, String name) {
    OutputPump.start(in, tail, sink, () -> enqueue(END), "lockstep-ssh-" + name);
  }
}
