package io.lockstep.database;

import io.lockstep.engine.model.SecretRef;
import io.lockstep.engine.model.Step;
import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepArgs;
import io.lockstep.steps.StepFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection arguments both database steps take, as the playbook gave them: values may still be
 * secret references or templates, resolved only by {@link #resolve(StepContext)} inside an action.
 * Plans show them with secrets by name; a password given as plain text shows as {@code ****}.
 */
record DatabaseArgs(
    Object engine,
    Object host,
    Integer port,
    Object database,
    Object user,
    Object password,
    Object via,
    Map<?, ?> tools,
    Map<String, Object> viaArgs) {

  static final String DEFAULT_HOST = "127.0.0.1";

  static final ArgSpec PASSWORD =
      ArgSpec.optional("password", String.class, null, "password, usually secret('dbPassword')");
  static final ArgSpec TOOLS =
      ArgSpec.optional(
          "tools", Map.class, Map.of(), "paths of the native tools by name, e.g. [pg_dump: '...']");

  static DatabaseArgs of(Map<String, Object> args) {
    Object port = args.get("port");
    return new DatabaseArgs(
        args.get("engine"),
        args.get("host"),
        port instanceof Number n ? n.intValue() : null,
        args.get("database"),
        args.get("user"),
        args.get("password"),
        args.get("via"),
        StepArgs.map(args, "tools"),
        transportArgs(args));
  }

  /** The arguments of any transport the playbook gave, unresolved, in the transports' order. */
  private static Map<String, Object> transportArgs(Map<String, Object> args) {
    Map<String, Object> given = new LinkedHashMap<>();
    for (ArgSpec spec : Transports.arguments()) {
      if (args.get(spec.name()) != null) {
        given.put(spec.name(), args.get(spec.name()));
      }
    }
    return given;
  }

  /**
   * Checks what can be checked before anything runs: engine and transport names, tool names and the
   * port.
   *
   * @throws IllegalArgumentException with {@code step} ({@code backupDatabase 'db'}) in front
   */
  void check(String step) {
    try {
      DatabaseEngine known = engine instanceof String name ? DatabaseEngines.named(name) : null;
      if (via instanceof String name) {
        TransportProvider provider = Transports.named(name);
        List<String> own = provider.arguments().stream().map(ArgSpec::name).toList();
        for (String arg : viaArgs.keySet()) {
          if (!own.contains(arg)) {
            throw new IllegalArgumentException(
                arg + " is an argument of another transport than via '" + name + "'");
          }
        }
        provider.check(viaArgs);
      }
      if (known != null) {
        checkTools(known);
      }
      if (port != null && (port < 1 || port > 65535)) {
        throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(step + ": " + e.getMessage(), e);
    }
  }

  private void checkTools(DatabaseEngine known) {
    for (Object tool : tools.keySet()) {
      if (!known.tools().contains(String.valueOf(tool))) {
        throw new IllegalArgumentException(
            "tools names '"
                + tool
                + "', which "
                + known.name()
                + " does not use: give "
                + String.join(" or ", known.tools()));
      }
    }
  }

  /**
   * These arguments, with the ones the playbook left out taken from a backup's outputs. The
   * password comes back as the secret the backup used, when it used one.
   */
  DatabaseArgs orRecorded(Map<String, Object> backup) {
    Object recordedUser =
        backup.get("userSecret") instanceof String name ? new SecretRef(name) : backup.get("user");
    Object recordedPassword =
        backup.get("passwordSecret") instanceof String name ? new SecretRef(name) : null;
    Object recordedPort = backup.get("port");
    boolean sameTransport = via == null && viaArgs.isEmpty();
    Map<String, Object> recordedViaArgs = new LinkedHashMap<>();
    if (sameTransport && backup.get("viaArgs") instanceof Map<?, ?> recorded) {
      recorded.forEach((k, v) -> recordedViaArgs.put(String.valueOf(k), v));
    }
    return new DatabaseArgs(
        engine != null ? engine : backup.get("engine"),
        host != null ? host : backup.get("host"),
        port != null ? port : recordedPort instanceof Number n ? n.intValue() : null,
        database != null ? database : backup.get("database"),
        user != null ? user : recordedUser,
        password != null ? password : recordedPassword,
        via != null ? via : backup.get("via"),
        tools,
        sameTransport ? recordedViaArgs : viaArgs);
  }

  /** The connection with secrets resolved; inside an action only. */
  Connection resolve(StepContext ctx) {
    DatabaseEngine kind = engine(ctx);
    String name = ctx.resolveText(database);
    String login = ctx.resolveText(user);
    if (name == null || name.isBlank()) {
      throw new StepFailedException("no database named: give database: '<name>'");
    }
    if (login == null || login.isBlank()) {
      throw new StepFailedException("no user named: give user: '<name>'");
    }
    String server = host == null ? DEFAULT_HOST : ctx.resolveText(host);
    return new Connection(
        kind,
        server,
        port != null ? port : kind.defaultPort(),
        name,
        login,
        ctx.resolveText(password));
  }

  DatabaseEngine engine(StepContext ctx) {
    try {
      return DatabaseEngines.named(ctx.resolveText(engine));
    } catch (IllegalArgumentException e) {
      throw new StepFailedException(e.getMessage(), e);
    }
  }

  /** The transport for this action; close it when the action ends. */
  Transport transport(StepContext ctx) {
    TransportProvider provider;
    try {
      provider = Transports.named(via == null ? LocalTransport.NAME : ctx.resolveText(via));
      provider.check(viaArgs);
    } catch (IllegalArgumentException e) {
      throw new StepFailedException(e.getMessage(), e);
    }
    return provider.open(viaArgs, ctx);
  }

  /**
   * The transport's arguments for a backup's outputs, so a restore of it finds the same place:
   * values resolved, secrets left out (a restore gives those again).
   */
  Map<String, Object> recordedViaArgs(StepContext ctx) {
    Map<String, Object> recorded = new LinkedHashMap<>();
    viaArgs.forEach(
        (name, value) -> {
          Object plain = withoutSecrets(value, ctx);
          if (plain != null) {
            recorded.put(name, plain);
          }
        });
    return recorded;
  }

  private static Object withoutSecrets(Object value, StepContext ctx) {
    if (value instanceof SecretRef) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> plain = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            Object inner = withoutSecrets(v, ctx);
            if (inner != null) {
              plain.put(String.valueOf(k), inner);
            }
          });
      return plain;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return value == null ? null : ctx.resolveText(value);
  }

  /**
   * {@code " in container tyk-db"}: where the tools run, for plans; nothing for {@code local} or a
   * {@code via} known only at run time.
   */
  String shownWhere() {
    if (!(via instanceof String name) || name.equals(LocalTransport.NAME)) {
      return "";
    }
    try {
      return " " + Transports.named(name).where(viaArgs);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** The tool paths the playbook gave, resolved and checked against the engine's tools. */
  Map<String, String> tools(StepContext ctx, DatabaseEngine kind) {
    try {
      checkTools(kind);
    } catch (IllegalArgumentException e) {
      throw new StepFailedException(e.getMessage(), e);
    }
    Map<String, String> paths = new LinkedHashMap<>();
    tools.forEach((k, v) -> paths.put(String.valueOf(k), ctx.resolveText(v)));
    return paths;
  }

  /** The outputs that let a restore find the secrets again by name, never by value. */
  void recordSecretNames(Map<String, Object> outputs) {
    if (password instanceof SecretRef ref) {
      outputs.put("passwordSecret", ref.name());
    }
    if (user instanceof SecretRef ref) {
      outputs.put("userSecret", ref.name());
    }
  }

  /** {@code postgres at 127.0.0.1:5433}, with unresolved values by name, for a backup's plan. */
  String shownServer() {
    Object shownPort = port;
    if (shownPort == null) {
      try {
        shownPort =
            engine instanceof String name ? DatabaseEngines.named(name).defaultPort() : null;
      } catch (IllegalArgumentException e) {
        shownPort = null;
      }
    }
    return StepArgs.display(engine)
        + " at "
        + (host == null ? DEFAULT_HOST : StepArgs.display(host))
        + (shownPort == null ? "" : ":" + shownPort);
  }

  /** {@code staging:5433}: where a restore goes when it is not where the backup came from. */
  String shownTarget() {
    return (host == null ? "the backup's host" : String.valueOf(StepArgs.display(host)))
        + (port == null ? "" : ":" + port);
  }

  /** Adds the given arguments to a plan's step, secrets by name and a plain password masked. */
  void addTo(Step.Builder step) {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("engine", engine);
    shown.put("host", host);
    shown.put("port", port);
    shown.put("database", database);
    shown.put("user", user);
    shown.put("password", password instanceof String ? "****" : password);
    shown.put("via", via);
    shown.put("tools", tools.isEmpty() ? null : tools);
    shown.putAll(viaArgs);
    shown.forEach(
        (name, value) -> {
          if (value != null) {
            step.argument(name, StepArgs.display(value));
          }
        });
  }

  /** The argument specs both steps share, with the defaults a backup needs. */
  static List<ArgSpec> connectionSpecs(boolean forBackup) {
    String fromBackup = forBackup ? "" : " (default: the backup's)";
    List<ArgSpec> specs = new java.util.ArrayList<>();
    specs.addAll(
        List.of(
            forBackup
                ? ArgSpec.required("engine", String.class, "postgres, mysql or mariadb")
                : ArgSpec.optional(
                    "engine", String.class, null, "postgres, mysql or mariadb" + fromBackup),
            forBackup
                ? ArgSpec.required("database", String.class, "the database to dump")
                : ArgSpec.optional(
                    "database", String.class, null, "the database to restore" + fromBackup),
            forBackup
                ? ArgSpec.required("user", String.class, "the user the tools log in as")
                : ArgSpec.optional(
                    "user", String.class, null, "the user the tools log in as" + fromBackup),
            PASSWORD,
            ArgSpec.optional(
                "host", String.class, forBackup ? DEFAULT_HOST : null, "server host" + fromBackup),
            ArgSpec.optional(
                "port",
                Integer.class,
                null,
                "server port (default: " + (forBackup ? "5432 or 3306" : "the backup's") + ")"),
            ArgSpec.optional(
                "via",
                String.class,
                forBackup ? LocalTransport.NAME : null,
                "where the tools run: " + String.join(", ", Transports.known()) + fromBackup),
            TOOLS));
    specs.addAll(Transports.arguments());
    return List.copyOf(specs);
  }
}
