package io.lockstep.engine.spi;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a secret's name into its value at run time. The engine masks every value it resolved; the
 * journal stores names only. The default reads environment variables {@code
 * LOCKSTEP_SECRET_<NAME>}.
 */
@FunctionalInterface
public interface SecretResolver {

  Optional<String> resolve(String name);

  /**
   * Reads {@code LOCKSTEP_SECRET_<NAME>} from {@code environment}: the name upper-cased, every
   * character other than a letter or digit turned into {@code _} ({@code portal-db} reads {@code
   * LOCKSTEP_SECRET_PORTAL_DB}).
   */
  static SecretResolver fromEnvironment(Map<String, String> environment) {
    return name -> Optional.ofNullable(environment.get(environmentVariable(name)));
  }

  /**
   * The variable {@link #fromEnvironment} reads for a secret: {@code LOCKSTEP_SECRET_PORTAL_DB}.
   */
  static String environmentVariable(String name) {
    return "LOCKSTEP_SECRET_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }
}
