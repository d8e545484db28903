package io.lockstep.cli;

import io.lockstep.engine.Lockstep;
import io.lockstep.engine.LockstepException;
import io.lockstep.engine.spi.RunHeader;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep history}: the runs in the store, newest first. */
@Command(name = "history", description = "List the runs in the store, newest first.")
final class HistoryCommand extends StoreCommand {

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      defaultValue = "20",
      description = "Show at most N runs (default: ${DEFAULT-VALUE}; 0 for all).")
  int limit;

  @Override
  public Integer call() {
    Lockstep engine = engine(null);
    List<RunHeader> runs = engine.history();
    if (limit > 0 && runs.size() > limit) {
      runs = runs.subList(0, limit);
    }
    Terminal t = terminal();
    if (common.json) {
      for (RunHeader h : runs) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runId", h.runId());
        json.put("playbook", h.playbook());
        json.put("environment", h.environment());
        json.put("startedAt", h.startedAt().toString());
        json.put("startedBy", h.startedBy());
        json.put("status", status(engine, h));
        t.out().println(Json.line(json));
      }
      return ExitCode.OK;
    }
    if (runs.isEmpty()) {
      t.out().println("no runs in " + storeDir());
      return ExitCode.OK;
    }
    Table table = new Table("RUN", "PLAYBOOK@ENV", "STARTED", "BY", "STATUS");
    for (RunHeader h : runs) {
      table.row(
          h.runId(),
          h.lockKey(),
          DATE_TIME.format(h.startedAt()),
          h.startedBy(),
          status(engine, h));
    }
    table.print(t.out(), "");
    return ExitCode.OK;
  }

  private static String status(Lockstep engine, RunHeader h) {
    try {
      return engine.status(h.runId()).status().display();
    } catch (LockstepException e) {
      // A damaged journal must not hide the other runs.
      return "unreadable: " + e.getMessage();
    }
  }
}
