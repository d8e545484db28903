package io.lockstep.engine.crash;

import io.lockstep.engine.Lockstep;
import io.lockstep.engine.ResumeOptions;
import io.lockstep.engine.RunOptions;
import io.lockstep.engine.RunResult;
import io.lockstep.engine.journal.FileJournalStore;
import io.lockstep.engine.model.Action;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.model.Group;
import io.lockstep.engine.model.Node;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.JournalStore;
import io.lockstep.engine.spi.LockHolder;
import io.lockstep.engine.spi.RecordType;
import io.lockstep.engine.spi.RunHeader;
import io.lockstep.engine.spi.RunJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process the crash specs kill. It runs, resumes or rolls back a scenario playbook against a
 * file journal and, when told, sends itself SIGKILL right after its Nth journal record became
 * durable: a crash at exactly that journal boundary.
 *
 * <p>Usage: {@code CrashChild STORE TRACE SCENARIO run|resume|rollback RUN_ID KILL_AFTER
 * [retry=STEP] [done=STEP]}. Prints {@code RESULT <run id> <status>} when it ends normally.
 */
public final class CrashChild {

  /** Steps whose action kills the process after its effect is in place (mid-action crash). */
  private static Set<String> killInside = Set.of();

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    Path trace = Path.of(args[1]);
    String scenario = args[2];
    String command = args[3];
    String runId = args[4];
    int killAfter = Integer.parseInt(args[5]);
    Set<String> retry = option(args, "retry=");
    Set<String> done = option(args, "done=");
    killInside = option(args, "inside=");

    JournalStore journals = new KillingStore(new FileJournalStore(store), killAfter);
    Lockstep engine = Lockstep.builder().store(journals).user("crash-spec").build();
    Playbook playbook = scenario(scenario, trace);
    RunResult result =
        switch (command) {
          case "run" -> engine.run(playbook, RunOptions.DEFAULTS);
          case "resume" ->
              engine.resume(
                  runId, playbook, new ResumeOptions(done, retry, "crash-spec", false, true));
          case "rollback" -> engine.rollback(runId, playbook);
          default -> throw new IllegalArgumentException(command);
        };
    System.out.println("RESULT " + result.runId() + " " + result.status());
  }

  private static Set<String> option(String[] args, String prefix) {
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return Set.of(arg.substring(prefix.length()));
      }
    }
    return Set.of();
  }

  /**
   * forward: a (idempotent), b (probe looks for its effect), c (neither: needs a decision), d
   * (idempotent). rollback: a, b, c (idempotent, with compensations), then d fails, so the run
   * rolls back; a crash during the forward part then resumes without an operator.
   */
  static Playbook scenario(String name, Path trace) {
    List<Node> steps = new ArrayList<>();
    if (name.equals("forward")) {
      steps.add(traced("a", trace).idempotent(true).build());
      steps.add(
          traced("b", trace)
              .probe(
                  ctx ->
                      lines(trace).contains("effect b")
                          ? Optional.of(Map.of("step", "b"))
                          : Optional.empty())
              .build());
      steps.add(traced("c", trace).build());
      steps.add(traced("d", trace).idempotent(true).build());
    } else {
      for (String id : List.of("a", "b", "c")) {
        steps.add(traced(id, trace).idempotent(true).compensation(undo(id, trace)).build());
      }
      steps.add(
          Step.builder(
                  "d",
                  ctx -> {
                    append(trace, "do d");
                    throw new IllegalStateException("health check failed");
                  })
              .idempotent(true)
              .build());
    }
    return Playbook.of("crash", "local", new Group("", "", Group.Kind.SEQUENCE, steps));
  }

  private static Step.Builder traced(String id, Path trace) {
    Action action =
        ctx -> {
          append(trace, "do " + id);
          append(trace, "effect " + id);
          if (killInside.contains(id)) {
            killSelf();
          }
          return Map.of("step", id);
        };
    return Step.builder(id, action);
  }

  private static Compensation undo(String id, Path trace) {
    return Compensation.of(
        "undo " + id,
        ctx -> {
          append(trace, "undo " + id);
          return Map.of();
        });
  }

  /** SIGKILL, as an OOM killer or a power cut would: no shutdown hooks, no flushing. */
  private static void killSelf() {
    try {
      new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid()))
          .inheritIO()
          .start()
          .waitFor();
      Thread.sleep(60_000);
    } catch (Exception e) {
      Runtime.getRuntime().halt(137);
    }
  }

  static List<String> lines(Path trace) throws IOException {
    return Files.exists(trace) ? Files.readAllLines(trace) : List.of();
  }

  private static void append(Path trace, String line) throws IOException {
    Files.writeString(
        trace,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.DSYNC);
  }

  /** Counts durable records across every journal this process writes and dies after the Nth. */
  private static final class KillingStore implements JournalStore {
    private final JournalStore delegate;
    private final int killAfter;
    private final AtomicInteger appended = new AtomicInteger();

    KillingStore(JournalStore delegate, int killAfter) {
      this.delegate = delegate;
      this.killAfter = killAfter;
    }

    void counted() {
      if (appended.incrementAndGet() == killAfter) {
        killSelf();
      }
    }

    @Override
    public RunJournal create(RunHeader header) throws IOException {
      RunJournal journal = delegate.create(header);
      counted();
      return new KillingJournal(journal);
    }

    @Override
    public RunJournal open(String runId) throws IOException {
      return new KillingJournal(delegate.open(runId));
    }

    @Override
    public List<RunHeader> runs() throws IOException {
      return delegate.runs();
    }

    @Override
    public void lock(String key, LockHolder holder) throws IOException {
      delegate.lock(key, holder);
    }

    @Override
    public void unlock(String key, String runId) throws IOException {
      delegate.unlock(key, runId);
    }

    @Override
    public Optional<LockHolder> lockHolder(String key) throws IOException {
      return delegate.lockHolder(key);
    }

    private final class KillingJournal implements RunJournal {
      private final RunJournal journal;

      KillingJournal(RunJournal journal) {
        this.journal = journal;
      }

      @Override
      public String runId() {
        return journal.runId();
      }

      @Override
      public JournalRecord append(RecordType type, String stepId, Map<String, Object> data)
          throws IOException {
        JournalRecord record = journal.append(type, stepId, data);
        counted();
        return record;
      }

      @Override
      public List<JournalRecord> records() throws IOException {
        return journal.records();
      }

      @Override
      public Path artifactsDir() throws IOException {
        return journal.artifactsDir();
      }

      @Override
      public void close() throws IOException {
        journal.close();
      }
    }
  }
}
