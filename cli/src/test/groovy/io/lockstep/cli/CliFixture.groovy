package io.lockstep.cli

import io.lockstep.engine.journal.FileJournalStore
import io.lockstep.engine.spi.JournalStore

import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.util.function.Function

/** Runs the CLI in-process, as a pipe would see it (not interactive, UTF-8). */
class CliFixture {

    Path store
    Map<String, String> env = [:]
    Function<Path, JournalStore> stores = { Path dir -> new FileJournalStore(dir) } as Function
    boolean unicode = true

    static final List<String> STORE_COMMANDS = ['run', 'resume', 'status', 'approve', 'rollback', 'history']

    Result run(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        def terminal = new Terminal(new PrintStream(out, true, 'UTF-8'), new PrintStream(err, true, 'UTF-8'), unicode, false)
        def withStore = store != null && args.length > 0 && args[0] in STORE_COMMANDS
        def all = withStore ? [args[0], '--store', store.toString()] + (args as List).drop(1) : args as List
        int code = new Main(terminal, env, stores).run(all as String[])
        new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8))
    }

    static class Result {
        final int code
        final String out
        final String err

        Result(int code, String out, String err) {
            this.code = code
            this.out = out
            this.err = err
        }

        @Override
        String toString() {
            "exit $code\n--- out\n$out--- err\n$err"
        }
    }
}
