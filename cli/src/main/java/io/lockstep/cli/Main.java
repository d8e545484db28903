package io.lockstep.cli;

import io.lockstep.engine.journal.FileJournalStore;
import io.lockstep.engine.spi.JournalStore;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code lockstep} command. {@link #execute} runs it in-process and returns the exit code (see
 * {@link ExitCode}), which is what tests and embedders call.
 */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Runs upgrade playbooks with a durable journal and automatic rollback.",
    subcommands = {
      ValidateCommand.class,
      PlanCommand.class,
      RunCommand.class,
      ResumeCommand.class,
      StatusCommand.class,
      ApproveCommand.class,
      RollbackCommand.class,
      HistoryCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes:",
      "   0  succeeded / command ok",
      "   1  internal error (a bug; the stack trace is saved in the store)",
      "   2  invalid input: usage error, invalid playbook, unknown run; nothing was run",
      "   3  the run failed and was rolled back",
      "   4  a compensation failed: the run is partly undone",
      "   5  the run failed and was not rolled back (--no-rollback)",
      "  10  paused, awaiting approval (lockstep approve RUN GATE)",
      "  11  needs an operator decision (lockstep resume RUN --mark-done|--retry STEP)",
      "  12  locked by another run of the same playbook and environment",
      "",
      "Store: --store DIR, else $LOCKSTEP_HOME, else ./.lockstep"
    })
public final class Main implements Callable<Integer> {

  private final Terminal terminal;
  private final Map<String, String> env;
  private final Function<Path, JournalStore> stores;

  @Spec CommandSpec spec;

  Main(Terminal terminal, Map<String, String> env, Function<Path, JournalStore> stores) {
    this.terminal = terminal;
    this.env = Map.copyOf(env);
    this.stores = stores;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, Terminal.outputCharset(System.getenv()));
    PrintStream err = new PrintStream(System.err, true, Terminal.outputCharset(System.getenv()));
    System.exit(execute(args, out, err));
  }

  /** Runs {@code lockstep args} writing to these streams; returns the exit code. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    return execute(args, out, err, System.getenv());
  }

  /**
   * As {@link #execute(String[], PrintStream, PrintStream)}, with {@code environment} in place of
   * the process's: where {@code LOCKSTEP_HOME} and the {@code LOCKSTEP_SECRET_*} values come from.
   */
  public static int execute(
      String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
    return new Main(Terminal.detect(out, err), environment, FileJournalStore::new).run(args);
  }

  int run(String... args) {
    CommandLine cli = new CommandLine(this);
    cli.setOut(new PrintWriter(terminal.out(), true));
    cli.setErr(new PrintWriter(terminal.err(), true));
    cli.setExecutionExceptionHandler(new ErrorHandler(this));
    cli.setParameterExceptionHandler(ErrorHandler::usageError);
    int code = cli.execute(args);
    terminal.out().flush();
    terminal.err().flush();
    return code;
  }

  /** {@code lockstep} without a command: the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(terminal.err());
    return ExitCode.INVALID_INPUT;
  }

  Terminal terminal() {
    return terminal;
  }

  Map<String, String> env() {
    return env;
  }

  /** The journal store in this directory. */
  JournalStore store(Path dir) {
    return stores.apply(dir);
  }
}
