package io.lockstep.examples;

import io.lockstep.dsl.PlaybookLoader;
import io.lockstep.engine.Lockstep;
import io.lockstep.engine.Plan;
import io.lockstep.engine.RunEvent;
import io.lockstep.engine.RunOptions;
import io.lockstep.engine.RunResult;
import io.lockstep.engine.journal.FileJournalStore;
import io.lockstep.engine.model.Playbook;
import io.lockstep.engine.spi.JournalStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How existing Java automation runs a playbook: load it, look at its rollback plan, run it with its
 * own journal store, secrets and listener. The README shows this class; EmbeddingExampleSpec runs
 * it.
 */
public final class EmbeddingExample {

  private EmbeddingExample() {}

  public static RunResult release(
      Path playbookFile,
      Path environmentFile,
      String version,
      JournalStore store,
      List<String> log) {
    // 1. Compile and validate the playbook; a mistake throws PlaybookException listing every
    // problem.
    Playbook playbook =
        PlaybookLoader.create().load(playbookFile, environmentFile, Map.of("version", version));

    // 2. The rollback plan, before anything runs: what a rollback would do, last step first.
    Plan.of(playbook)
        .rollbackOrder()
        .forEach(
            entry ->
                log.add(
                    "rollback " + entry.id() + ": " + entry.step().compensation().description()));

    // 3. An engine with this application's store, secrets and listener.
    Lockstep engine =
        Lockstep.builder()
            .store(store)
            .secrets(name -> Optional.ofNullable(System.getenv("APP_SECRET_" + name)))
            .listener(
                event -> {
                  if (event.type() == RunEvent.Type.STEP_FINISHED
                      || event.type() == RunEvent.Type.COMPENSATION_FINISHED) {
                    log.add(event.type() + " " + event.stepId());
                  }
                })
            .build();

    // 4. Run. The result says how it ended; the store keeps the journal for resume and status.
    return engine.run(playbook, RunOptions.DEFAULTS);
  }

  /** The same with the embedded file store in a directory of the application's choosing. */
  public static RunResult release(
      Path playbookFile, Path environmentFile, String version, Path storeDir) {
    return release(
        playbookFile,
        environmentFile,
        version,
        new FileJournalStore(storeDir),
        new java.util.ArrayList<>());
  }
}
