package io.lockstep.database;

import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The transports {@code via} can name: {@code local}, built in, and every {@link TransportProvider}
 * registered on the class path of the database module ({@code docker} and {@code ssh} come with
 * their connectors). A transport whose module is missing gets a plain answer naming the module
 * instead of "unknown".
 */
final class Transports {

  /** The transports of Lockstep's connector modules, each in {@code lockstep-<name>}. */
  static final List<String> IN_MODULES = List.of("docker", "ssh", "kubernetes");

  private static final TransportProvider LOCAL =
      new TransportProvider() {
        @Override
        public String name() {
          return LocalTransport.NAME;
        }

        @Override
        public List<ArgSpec> arguments() {
          return List.of();
        }

        @Override
        public String where(Map<String, Object> args) {
          return LocalTransport.INSTANCE.where();
        }

        @Override
        public Transport open(Map<String, Object> args, StepContext ctx) {
          return LocalTransport.INSTANCE;
        }
      };

  private static volatile Map<String, TransportProvider> providers;

  private Transports() {}

  /** The providers by name, {@code local} first, then the others sorted; loaded once. */
  static Map<String, TransportProvider> providers() {
    Map<String, TransportProvider> found = providers;
    if (found == null) {
      // The others by name, whatever the class path's order: messages and plans stay stable.
      Map<String, TransportProvider> plugged = new TreeMap<>();
      for (TransportProvider provider :
          ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader())) {
        plugged.putIfAbsent(provider.name(), provider);
      }
      found = new LinkedHashMap<>();
      found.put(LOCAL.name(), LOCAL);
      plugged.forEach(found::putIfAbsent);
      providers = found;
    }
    return found;
  }

  static List<String> known() {
    return List.copyOf(providers().keySet());
  }

  /** Every transport's own arguments, each name once, in the providers' order. */
  static List<ArgSpec> arguments() {
    Map<String, ArgSpec> all = new LinkedHashMap<>();
    providers().values().forEach(p -> p.arguments().forEach(a -> all.putIfAbsent(a.name(), a)));
    return new ArrayList<>(all.values());
  }

  /**
   * The provider named {@code via}.
   *
   * @throws IllegalArgumentException naming the available transports
   */
  static TransportProvider named(String via) {
    TransportProvider provider = providers().get(via);
    if (provider != null) {
      return provider;
    }
    if (IN_MODULES.contains(via)) {
      throw new IllegalArgumentException(
          "via '"
              + via
              + "' needs the lockstep-"
              + via
              + " module on the class path; available here: "
              + String.join(", ", known()));
    }
    throw new IllegalArgumentException(
        "unknown via '"
            + via
            + "': available transports are "
            + String.join(", ", known())
            + " (with their modules: "
            + String.join(", ", IN_MODULES)
            + ")");
  }
}
