package io.lockstep.cli;

import io.lockstep.dsl.PlaybookException;
import io.lockstep.dsl.Problem;
import io.lockstep.engine.LockstepException;
import io.lockstep.engine.spi.LockHeldException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into messages and exit codes. A user's mistake gets {@code error:} and {@code
 * hint:} lines and no stack trace; a bug gets its stack trace saved to a file in the store.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private final Main main;

  ErrorHandler(Main main) {
    this.main = main;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
    PrintStream err = main.terminal().err();
    if (ex instanceof PlaybookException invalid) {
      printProblems(invalid, err);
      return ExitCode.INVALID_INPUT;
    }
    if (ex instanceof LockstepException known) {
      printError(known, err);
      return ex instanceof LockHeldException ? ExitCode.LOCKED : ExitCode.INVALID_INPUT;
    }
    IOException io = ioCause(ex);
    if (io != null) {
      // The store or a file cannot be read or written: the machine's problem, not a bug.
      printError(
          new LockstepException(
              "cannot read or write " + describe(io),
              "check the path, its permissions and free disk space (the store is --store,"
                  + " $LOCKSTEP_HOME or ./.lockstep)"),
          err);
      return ExitCode.INVALID_INPUT;
    }
    return internalError(ex, cli, parsed, err);
  }

  /** The I/O failure behind an exception (itself, or wrapped unchecked), or {@code null}. */
  private static IOException ioCause(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
    }
    return null;
  }

  private static String describe(IOException io) {
    String message = io.getMessage();
    if (io instanceof java.nio.file.FileSystemException fs) {
      String reason = fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason();
      return fs.getFile() + ": " + reason;
    }
    return message == null ? io.getClass().getSimpleName() : message;
  }

  /** Usage errors: what is wrong, and where to read the usage. */
  static int usageError(ParameterException ex, String[] args) {
    CommandLine cli = ex.getCommandLine();
    PrintWriter err = cli.getErr();
    // picocli says "Value for option option '--x'" in one message; say it once.
    err.println("error: " + ex.getMessage().replace("option option", "option"));
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("hint: see `" + cli.getCommandSpec().qualifiedName() + " --help`");
    err.flush();
    return ExitCode.INVALID_INPUT;
  }

  static void printError(LockstepException ex, PrintStream err) {
    err.println("error: " + ex.getMessage());
    if (ex.hint() != null) {
      err.println("hint: " + ex.hint());
    }
  }

  static void printProblems(PlaybookException ex, PrintStream err) {
    for (Problem problem : ex.problems()) {
      err.println(
          problem.file()
              + ":"
              + problem.line()
              + ":"
              + problem.column()
              + ": "
              + problem.message());
      if (problem.hint() != null) {
        err.println("  hint: " + problem.hint());
      }
    }
    int count = ex.problems().size();
    err.println(
        "error: " + count + (count == 1 ? " problem" : " problems") + " found; nothing was run");
  }

  private int internalError(Exception ex, CommandLine cli, ParseResult parsed, PrintStream err) {
    StringWriter trace = new StringWriter();
    PrintWriter writer = new PrintWriter(trace);
    writer.println("lockstep " + String.join(" ", parsed.originalArgs()));
    for (String line : new Version().getVersion()) {
      writer.println(line);
    }
    writer.println();
    ex.printStackTrace(writer);
    writer.flush();
    err.println("error: internal error: " + ex);
    try {
      Path file = errorFile(cli);
      Files.writeString(file, trace.toString(), StandardCharsets.UTF_8);
      err.println("hint: this is a bug in lockstep; the stack trace is in " + file);
      err.println("      please report it with that file");
    } catch (IOException | RuntimeException cannotSave) {
      err.println(
          "hint: this is a bug in lockstep; the stack trace could not be saved ("
              + cannotSave.getMessage()
              + "), so here it is:");
      err.print(trace);
    }
    return ExitCode.INTERNAL_ERROR;
  }

  private Path errorFile(CommandLine cli) throws IOException {
    Object command = cli.getCommand();
    Path store =
        command instanceof StoreCommand withStore
            ? withStore.storeDir()
            : new CommonOptions().storeDir(main.env());
    Path dir = Files.createDirectories(store.resolve("errors"));
    return dir.resolve("error-" + LocalDateTime.now().format(FILE_TIME) + ".txt").toAbsolutePath();
  }
}
