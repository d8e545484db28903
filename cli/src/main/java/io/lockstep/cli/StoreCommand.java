package io.lockstep.cli;

import io.lockstep.engine.Lockstep;
import io.lockstep.engine.RunListener;
import io.lockstep.engine.spi.SecretResolver;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** A command that reads or writes the journal store. */
abstract class StoreCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Mixin CommonOptions common = new CommonOptions();

  Terminal terminal() {
    return main.terminal();
  }

  Path storeDir() {
    return common.storeDir(main.env());
  }

  /** An engine on this command's store, reporting to {@code listener} (may be {@code null}). */
  Lockstep engine(RunListener listener) {
    Lockstep.Builder builder =
        Lockstep.builder()
            .store(main.store(storeDir()))
            .secrets(SecretResolver.fromEnvironment(main.env()));
    if (listener != null) {
      builder.listener(listener);
    }
    return builder.build();
  }
}
