package io.lockstep.engine.spi;

import java.util.Optional;

/**
 * Turns a secret's name into its value at run time. The engine masks every value it resolved; the
 * journal stores names only. The default reads environment variables {@code
 * LOCKSTEP_SECRET_<NAME>}.
 */
@FunctionalInterface
public interface SecretResolver {

  Optional<String> resolve(String name);
}
