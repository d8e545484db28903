package io.lockstep.ssh;

import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.spi.ArgSpec;
import io.lockstep.steps.StepArgs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The connection arguments every SSH step type takes, and reading the step's own arguments. */
final class SshArgs {

  /** Connection settings a step may give itself; each also comes from a target attribute. */
  static final List<ArgSpec> CONNECTION =
      List.of(
          ArgSpec.optional("host", String.class, null, "host name or address (default: target's)"),
          ArgSpec.optional("port", Integer.class, null, "SSH port (default: target's, else 22)"),
          ArgSpec.optional("user", String.class, null, "login user (default: target's, else you)"),
          ArgSpec.optional(
              "identity",
              String.class,
              null,
              "private key file (default: target's, else the agent's keys, then ~/.ssh/id_ed25519,"
                  + " id_ecdsa, id_rsa)"),
          ArgSpec.optional(
              "agent",
              Object.class,
              null,
              "ssh-agent socket, true for SSH_AUTH_SOCK, false for none (default: target's, else"
                  + " SSH_AUTH_SOCK when no identity is set)"),
          ArgSpec.optional(
              "passphraseSecret",
              String.class,
              null,
              "name of the secret holding the key's passphrase"),
          ArgSpec.optional(
              "knownHosts",
              String.class,
              null,
              "known_hosts file checked (default: target's, else ~/.ssh/known_hosts)"),
          ArgSpec.optional(
              "acceptNewHostKeys",
              Boolean.class,
              null,
              "record the key of a host not yet in known_hosts instead of refusing it"),
          ArgSpec.optional(
              "connectTimeout", Duration.class, null, "how long connecting may take (10s)"));

  private SshArgs() {}

  /** The step's arguments plus {@link #CONNECTION}, in that order. */
  static List<ArgSpec> with(ArgSpec... own) {
    List<ArgSpec> all = new java.util.ArrayList<>(List.of(own));
    all.addAll(CONNECTION);
    return List.copyOf(all);
  }

  /** The connection arguments the playbook gave, unresolved (they may hold secrets). */
  static Map<String, Object> connection(Map<String, Object> args) {
    Map<String, Object> given = new LinkedHashMap<>();
    for (ArgSpec spec : CONNECTION) {
      if (args.get(spec.name()) != null) {
        given.put(spec.name(), args.get(spec.name()));
      }
    }
    return given;
  }

  /**
   * " on USER@HOST:PORT" for descriptions when the step names its host; nothing when the host is
   * its target's, which plans show next to the step.
   */
  static String on(Map<String, Object> connection) {
    Object host = connection.get("host");
    if (host == null) {
      return "";
    }
    Object user = connection.get("user");
    Object port = connection.get("port");
    return " on "
        + (user == null ? "" : StepArgs.display(user) + "@")
        + StepArgs.display(host)
        + (port == null ? "" : ":" + port);
  }

  static final ArgSpec SUDO =
      ArgSpec.optional(
          "sudo", Object.class, null, "true to run as root with sudo -n, or a user name to run as");

  /**
   * The {@code sudo} argument checked when the step is created: {@code null} for none, {@code true}
   * for root, else the user (possibly a template).
   */
  static Object sudo(String type, String id, Map<String, Object> args) {
    Object sudo = args.get("sudo");
    if (sudo == null || Boolean.FALSE.equals(sudo)) {
      return null;
    }
    if (Boolean.TRUE.equals(sudo)) {
      return true;
    }
    if (sudo instanceof Number || sudo instanceof List || sudo instanceof Map) {
      throw new IllegalArgumentException(
          type + " '" + id + "': sudo must be true, false or a user name, got '" + sudo + "'");
    }
    if (sudo.toString().isBlank()) {
      throw new IllegalArgumentException(type + " '" + id + "': sudo user must not be empty");
    }
    return sudo;
  }

  /**
   * {@code sudo -n [-u USER] --}: never prompts (a password prompt would hang a run), fails instead
   * with sudo's own message; empty without sudo.
   */
  static List<String> sudoWords(StepContext ctx, Object sudo) {
    if (sudo == null) {
      return List.of();
    }
    if (Boolean.TRUE.equals(sudo)) {
      return List.of("sudo", "-n", "--");
    }
    return List.of("sudo", "-n", "-u", ctx.resolveText(sudo), "--");
  }

  /** " as root (sudo)" or " as USER (sudo)" for descriptions. */
  static String as(Object sudo) {
    if (sudo == null) {
      return "";
    }
    return Boolean.TRUE.equals(sudo)
        ? " as root (sudo)"
        : " as " + StepArgs.display(sudo) + " (sudo)";
  }

  /** A required text argument that must not be empty, unresolved. */
  static Object required(String type, String id, Map<String, Object> args, String name) {
    Object value = StepArgs.text(args, name);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalArgumentException(type + " '" + id + "': " + name + " must not be empty");
    }
    return value;
  }
}
