package io.lockstep.engine.journal;

import io.lockstep.engine.LockstepException;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.JournalStore;
import io.lockstep.engine.spi.LockHolder;
import io.lockstep.engine.spi.RecordType;
import io.lockstep.engine.spi.RunHeader;
import io.lockstep.engine.spi.RunJournal;
import io.lockstep.engine.spi.UnknownRunException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded journal store: a directory per run, plain files that survive a machine crash.
 *
 * <pre>
 * root/
 *   runs/RUN_ID/journal.jsonl    one checksummed JSON record a line, synced before append returns
 *   runs/RUN_ID/artifacts/       backups, dumps, reports (created on demand)
 *   locks/PLAYBOOK@ENV.lock      the run holding that playbook and environment, as JSON
 * </pre>
 *
 * Usage: {@code Lockstep.builder().store(new FileJournalStore(Path.of("/var/lib/lockstep")))}. One
 * process at a time appends to a run (the run lock sees to that); any number may read.
 */
public final class FileJournalStore implements JournalStore {

  static final String RUNS = "runs";
  static final String LOCKS = "locks";
  static final String JOURNAL = "journal.jsonl";
  static final String ARTIFACTS = "artifacts";

  private static final Logger LOG = LoggerFactory.getLogger(FileJournalStore.class);

  /** A first record longer than this is not a header this store wrote. */
  private static final int MAX_HEADER_LINE = 1 << 20;

  private final Path root;
  private final Clock clock;
  private final LockFiles locks;
  private final AtomicLong syncs = new AtomicLong();

  public FileJournalStore(Path root) {
    this(root, Clock.systemUTC());
  }

  FileJournalStore(Path root, Clock clock) {
    this.root = Objects.requireNonNull(root, "root");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.locks = new LockFiles(root.resolve(LOCKS));
  }

  public Path root() {
    return root;
  }

  /**
   * How many journal syncs this store's journals have made. With parallel branches it is lower than
   * the number of records: that is group commit at work. For benchmarks and monitoring.
   */
  public long syncCount() {
    return syncs.get();
  }

  @Override
  public RunJournal create(RunHeader header) throws IOException {
    String runId = requireValidRunId(header.runId());
    // Refuse a header that cannot be journaled before anything exists on disk.
    RecordCodec.encode(
        new JournalRecord(1, clock.instant(), RecordType.RUN_STARTED, null, header.toData()));
    Path runs = Files.createDirectories(root.resolve(RUNS));
    Path runDir = runs.resolve(runId);
    try {
      Files.createDirectory(runDir);
    } catch (FileAlreadyExistsException e) {
      throw new LockstepException(
          "run " + runId + " already exists in " + runs,
          "run ids are unique; resume that run or start a new one with another id");
    }
    Path file = Files.createFile(runDir.resolve(JOURNAL));
    FileRunJournal journal =
        new FileRunJournal(runId, runDir, file, new JournalScan(List.of(), 0, 0), clock, syncs);
    journal.append(RecordType.RUN_STARTED, null, header.toData());
    // The journal's own sync covers its content; these make the new names durable.
    Durability.syncDirectory(runDir);
    Durability.syncDirectory(runs);
    Durability.syncDirectory(root);
    return journal;
  }

  @Override
  public RunJournal open(String runId) throws IOException {
    if (!isValidRunId(runId)) {
      throw new UnknownRunException(runId);
    }
    Path runDir = root.resolve(RUNS).resolve(runId);
    Path file = runDir.resolve(JOURNAL);
    JournalScan scan;
    try {
      scan = JournalScan.read(file);
    } catch (NoSuchFileException e) {
      throw new UnknownRunException(runId);
    }
    return new FileRunJournal(runId, runDir, file, scan, clock, syncs);
  }

  @Override
  public List<RunHeader> runs() throws IOException {
    Path runs = root.resolve(RUNS);
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    List<RunHeader> headers = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs, Files::isDirectory)) {
      for (Path runDir : dirs) {
        header(runDir).ifPresent(headers::add);
      }
    }
    headers.sort(
        Comparator.comparing(RunHeader::startedAt).thenComparing(RunHeader::runId).reversed());
    return headers;
  }

  @Override
  public void lock(String key, LockHolder holder) throws IOException {
    locks.lock(key, holder);
  }

  @Override
  public void unlock(String key, String runId) throws IOException {
    locks.unlock(key, runId);
  }

  @Override
  public Optional<LockHolder> lockHolder(String key) throws IOException {
    return locks.holder(key);
  }

  /** The run's header from its first line alone, so listing stays fast however long runs get. */
  private Optional<RunHeader> header(Path runDir) throws IOException {
    Path file = runDir.resolve(JOURNAL);
    byte[] line;
    try (InputStream in = Files.newInputStream(file)) {
      line = firstLine(in);
    } catch (NoSuchFileException e) {
      LOG.warn("{}: skipping a run directory without a journal", runDir);
      return Optional.empty();
    }
    int end = 0;
    while (end < line.length && line[end] != '\n') {
      end++;
    }
    String problem;
    if (end == line.length) {
      problem = line.length == 0 ? "empty journal" : "first record is torn";
    } else {
      try {
        JournalRecord first = RecordCodec.decode(line, 0, end);
        if (first.type() == RecordType.RUN_STARTED && first.seq() == 1) {
          return Optional.of(RunHeader.fromData(first.data()));
        }
        problem = "first record is " + first.type() + ", not RUN_STARTED";
      } catch (RecordCodec.BadLineException | RuntimeException e) {
        problem = "first record is unreadable: " + e.getMessage();
      }
    }
    LOG.warn("{}: skipping run ({})", file, problem);
    return Optional.empty();
  }

  /**
   * The bytes up to and including the first newline, or all there are (at most about {@link
   * #MAX_HEADER_LINE}) when there is none: the rest of a journal is not read.
   */
  private static byte[] firstLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while (line.size() < MAX_HEADER_LINE && (n = in.read(chunk)) > 0) {
      for (int i = 0; i < n; i++) {
        if (chunk[i] == '\n') {
          line.write(chunk, 0, i + 1);
          return line.toByteArray();
        }
      }
      line.write(chunk, 0, n);
    }
    return line.toByteArray();
  }

  private static String requireValidRunId(String runId) {
    if (!isValidRunId(runId)) {
      throw new IllegalArgumentException(
          "run id must be a plain file name (no '/', '\\\\' or control characters, not starting"
              + " with '.'): "
              + runId);
    }
    return runId;
  }

  /** Run ids become directory names: no path tricks, nothing hidden. */
  private static boolean isValidRunId(String runId) {
    if (runId == null || runId.isEmpty() || runId.length() > 200 || runId.startsWith(".")) {
      return false;
    }
    return runId.chars().noneMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c));
  }
}
