package io.lockstep.ssh;

import io.lockstep.database.Transport;
import io.lockstep.database.TransportProvider;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code via: 'ssh'} for {@code backupDatabase} and {@code restoreDatabase}: the tools run on a
 * Linux host over SSH. The connection settings are the SSH steps' ({@code host}, {@code port},
 * {@code user}, {@code identity}, {@code knownHosts}, ...), given in the {@code ssh} map because
 * the step's own {@code host}, {@code port} and {@code user} are the database's; each setting left
 * out comes from the step's target, as for the SSH steps. The database's {@code host} and {@code
 * port} are then as the host sees them.
 *
 * <pre>{@code
 * backupDatabase 'portal-db', via: 'ssh', ssh: [host: '10.0.0.5', user: 'lockstep'],
 *     engine: 'postgres', host: '127.0.0.1', database: 'portal', user: 'portal',
 *     password: secret('dbPassword')
 * }</pre>
 */
public final class SshTransportProvider implements TransportProvider {

  static final String NAME = "ssh";

  private static final List<ArgSpec> ARGUMENTS =
      List.of(
          ArgSpec.optional(
              "ssh",
              Map.class,
              null,
              "via: 'ssh': the SSH steps' connection settings (host, port, user, identity,"
                  + " knownHosts, ...; default: the target's)"));

  private static final List<String> SETTINGS =
      SshArgs.CONNECTION.stream().map(ArgSpec::name).toList();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<ArgSpec> arguments() {
    return ARGUMENTS;
  }

  @Override
  public void check(Map<String, Object> args) {
    for (Object key : settings(args).keySet()) {
      if (!SETTINGS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(
            "ssh names '"
                + key
                + "', which is no SSH setting: give "
                + String.join(", ", SETTINGS));
      }
    }
  }

  @Override
  public String where(Map<String, Object> args) {
    String on = SshArgs.on(settings(args));
    return on.isEmpty() ? "on the target's host" : on.strip();
  }

  @Override
  public Transport open(Map<String, Object> args, StepContext ctx) {
    return new SshTransport(SshTarget.resolve(ctx, settings(args), "via 'ssh'"));
  }

  private static Map<String, Object> settings(Map<String, Object> args) {
    Map<String, Object> settings = new LinkedHashMap<>();
    if (args.get("ssh") instanceof Map<?, ?> given) {
      given.forEach((k, v) -> settings.put(String.valueOf(k), v));
    }
    return settings;
  }
}
