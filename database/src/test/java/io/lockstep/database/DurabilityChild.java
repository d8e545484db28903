package io.lockstep.database;

import io.lockstep.engine.Lockstep;
import io.lockstep.engine.ResumeOptions;
import io.lockstep.engine.RunOptions;
import io.lockstep.engine.RunResult;
import io.lockstep.engine.journal.FileJournalStore;
import io.lockstep.engine.model.Group;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.model.SecretRef;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.engine.spi.StepType;
import io.lockstep.engine.spi.StepTypes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process the durability specs start, with a small heap or to be killed: it runs or resumes,
 * against a file journal, a playbook of two steps, {@code backup/db} (backupDatabase of the source
 * database) and {@code restore/db} (restoreDatabase of that dump into the target database).
 *
 * <p>Usage: {@code DurabilityChild STORE run|resume RUN_ID HOST PORT USER SOURCE TARGET}; the
 * password is read from {@code DURABILITY_DB_PASSWORD}. Prints {@code HEAP <max bytes>} first and
 * {@code RESULT <run id> <status>} when the run ends.
 */
public final class DurabilityChild {

  private DurabilityChild() {}

  public static void main(String[] args) throws Exception {
    System.out.println("HEAP " + Runtime.getRuntime().maxMemory());
    Path store = Path.of(args[0]);
    String command = args[1];
    String runId = args[2];
    String host = args[3];
    int port = Integer.parseInt(args[4]);
    String user = args[5];
    String source = args[6];
    String target = args[7];
    String password = System.getenv("DURABILITY_DB_PASSWORD");

    Lockstep engine =
        Lockstep.builder()
            .store(new FileJournalStore(store))
            .secrets(name -> Optional.ofNullable(name.equals("dbPassword") ? password : null))
            .user("durability-spec")
            .build();
    StepTypes types = StepTypes.load(DurabilityChild.class.getClassLoader());
    Map<String, Object> login = new LinkedHashMap<>();
    login.put("engine", "postgres");
    login.put("host", host);
    login.put("port", port);
    login.put("user", user);
    login.put("password", new SecretRef("dbPassword"));
    Map<String, Object> backup = new LinkedHashMap<>(login);
    backup.put("database", source);
    Map<String, Object> restore = new LinkedHashMap<>(login);
    restore.put("from", "backup/db");
    restore.put("database", target);
    restore.put("allowOtherDatabase", true);
    Playbook playbook =
        Playbook.of(
            "durability",
            "local",
            new Group(
                "",
                "",
                Group.Kind.SEQUENCE,
                List.of(
                    step(types, "backupDatabase", "backup/db", backup),
                    step(types, "restoreDatabase", "restore/db", restore))));

    RunResult result =
        switch (command) {
          case "run" -> engine.run(playbook, RunOptions.DEFAULTS);
          case "resume" -> engine.resume(runId, playbook, ResumeOptions.DEFAULTS);
          default -> throw new IllegalArgumentException(command);
        };
    System.out.println("RESULT " + result.runId() + " " + result.status());
    if (result.error() != null) {
      System.out.println("ERROR " + result.error());
    }
  }

  /** A step of a type with the type's defaults filled in, as the DSL does. */
  private static Step step(StepTypes types, String type, String id, Map<String, Object> args) {
    StepType stepType = types.find(type).orElseThrow();
    Map<String, Object> all = new LinkedHashMap<>();
    for (ArgSpec spec : stepType.arguments()) {
      if (spec.defaultValue() != null) {
        all.put(spec.name(), spec.defaultValue());
      }
    }
    all.putAll(args);
    return stepType.create(id, all).build();
  }
}
