package io.lockstep.ssh;

import io.lockstep.engine.model.StepContext;
import io.lockstep.engine.model.Target;
import io.lockstep.steps.StepFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where and how a step connects, resolved at run time. Each setting comes from the step's argument,
 * else the target's attribute of the same name, else a default: {@code port} 22, {@code user} the
 * user running Lockstep, {@code knownHosts} {@code ~/.ssh/known_hosts}, {@code acceptNewHostKeys}
 * false, {@code connectTimeout} 10 seconds. {@code host} has no default.
 *
 * <p>The keys to log in with: an {@code identity} that is set is used alone, unless {@code agent}
 * is set too. Without {@code identity}, the keys of the ssh-agent at {@code SSH_AUTH_SOCK} come
 * first, then the first of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that exists,
 * as with {@code ssh}. {@code agent} is a socket path, {@code true} for {@code SSH_AUTH_SOCK}, or
 * {@code false} for no agent. An explicit identity stays alone by default so that a step that names
 * its key logs in with that key, predictably, and does not spend the server's MaxAuthTries on
 * whatever the agent holds.
 *
 * @param identity private key file to offer, or {@code null}
 * @param agent socket of the ssh-agent whose keys to offer, or {@code null}
 * @param agentFromEnvironment whether {@code agent} came from {@code SSH_AUTH_SOCK} rather than the
 *     {@code agent} setting
 * @param passphraseSecret name of the secret holding the identity's passphrase, or {@code null}
 */
record SshTarget(
    String host,
    int port,
    String user,
    Path identity,
    Path agent,
    boolean agentFromEnvironment,
    Path knownHosts,
    String passphraseSecret,
    boolean acceptNewHostKeys,
    Duration connectTimeout) {

  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  /** The variable OpenSSH's tools find the agent's socket by. */
  static final String AUTH_SOCK = "SSH_AUTH_SOCK";

  /** The key a run shares this connection under: one per user, host and port. */
  String key() {
    return "ssh:" + address();
  }

  /** {@code user@host:port}, as messages name the connection. */
  String address() {
    return user + "@" + host + ":" + port;
  }

  /** "from SSH_AUTH_SOCK" or "from the agent setting", for messages about the agent. */
  String agentOrigin() {
    return agentFromEnvironment ? "from " + AUTH_SOCK : "from the agent setting";
  }

  /**
   * Resolves the settings of one step, the agent's socket from the environment Lockstep runs in.
   *
   * @param what the step as messages name it
   * @throws StepFailedException when no host is given, a value is malformed or there is no key
   */
  static SshTarget resolve(StepContext ctx, Map<String, Object> args, String what) {
    // Steps see no environment of the engine's, so the process's is the one ssh would see too.
    return resolve(ctx, args, what, System.getenv());
  }

  /** As {@link #resolve(StepContext, Map, String)}, with {@code environment} for the process's. */
  static SshTarget resolve(
      StepContext ctx, Map<String, Object> args, String what, Map<String, String> environment) {
    Target target = ctx.target();
    String host = setting(ctx, args, "host");
    if (host == null) {
      throw new StepFailedException(
          what
              + ": no host to connect to: "
              + (target == null
                  ? "the step has no target; give it a host argument"
                  : "target '" + target.name() + "' has no host attribute; add host: to it")
              + " (or a host argument on the step)");
    }
    String portText = setting(ctx, args, "port");
    int port = 22;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new StepFailedException(what + ": port must be a number, got '" + portText + "'");
      }
    }
    if (port < 1 || port > 65535) {
      throw new StepFailedException(what + ": port must be 1 to 65535, got " + port);
    }
    String user = setting(ctx, args, "user");
    if (user == null) {
      user = System.getProperty("user.name");
    }
    String identityText = setting(ctx, args, "identity");
    Path identity = identityText == null ? defaultIdentity() : path(ctx, identityText);
    String where = "ssh " + user + "@" + host + ":" + port;
    String agentText = setting(ctx, args, "agent");
    String authSock = environment.get(AUTH_SOCK);
    authSock = authSock == null || authSock.isBlank() ? null : authSock.strip();
    Path agent = null;
    boolean agentFromEnvironment = false;
    // SSH_AUTH_SOCK when agent is true, or unset with no identity; a path names the socket itself.
    if (agentText == null ? identityText == null : agentText.equals("true")) {
      if (authSock == null && agentText != null) {
        throw new StepFailedException(
            where
                + ": agent is true, but "
                + AUTH_SOCK
                + " is not set; start ssh-agent (eval $(ssh-agent); ssh-add), or set agent to"
                + " its socket");
      }
      agent = authSock == null ? null : Path.of(authSock).toAbsolutePath().normalize();
      agentFromEnvironment = agent != null;
    } else if (agentText != null && !agentText.equals("false")) {
      agent = path(ctx, agentText);
    }
    if (identity == null && agent == null) {
      throw new StepFailedException(
          where
              + ": no key to log in with: no identity is set, none of "
              + home().resolve(".ssh")
              + "/"
              + String.join(", ", DEFAULT_KEYS)
              + " exists, and "
              + ("false".equals(agentText)
                  ? "agent is false"
                  : AUTH_SOCK + " is not set, so there is no ssh-agent to ask")
              + "; set identity on the step or target to a private key file, or start ssh-agent"
              + " with the key (eval $(ssh-agent); ssh-add) so that "
              + AUTH_SOCK
              + " names its socket");
    }
    String knownHostsText = setting(ctx, args, "knownHosts");
    Path knownHosts =
        knownHostsText == null ? home().resolve(".ssh/known_hosts") : path(ctx, knownHostsText);
    String accept = setting(ctx, args, "acceptNewHostKeys");
    if (accept != null && !accept.equals("true") && !accept.equals("false")) {
      throw new StepFailedException(
          what + ": acceptNewHostKeys must be true or false, got '" + accept + "'");
    }
    Duration timeout = connectTimeout(ctx, args, what);
    return new SshTarget(
        host,
        port,
        user,
        identity,
        agent,
        agentFromEnvironment,
        knownHosts,
        setting(ctx, args, "passphraseSecret"),
        "true".equals(accept),
        timeout);
  }

  /** The step's argument, else the target's attribute; {@code null} when neither is given. */
  private static String setting(StepContext ctx, Map<String, Object> args, String name) {
    Object arg = args.get(name);
    String value = arg == null ? null : ctx.resolveText(arg);
    if ((value == null || value.isBlank()) && ctx.target() != null) {
      value = ctx.target().attribute(name);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Duration connectTimeout(StepContext ctx, Map<String, Object> args, String what) {
    if (args.get("connectTimeout") instanceof Duration d) {
      return d;
    }
    Object attribute =
        ctx.target() == null ? null : ctx.target().attributes().get("connectTimeout");
    if (attribute == null) {
      return DEFAULT_CONNECT_TIMEOUT;
    }
    if (attribute instanceof Duration d) {
      return d;
    }
    if (attribute instanceof Number seconds) {
      return Duration.ofSeconds(seconds.longValue());
    }
    String text = attribute.toString().strip();
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      if (text.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
      }
      if (text.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new StepFailedException(
          what + ": connectTimeout must be a duration such as '10s', got '" + text + "'");
    }
  }

  /** The first default key file that exists, or {@code null}. */
  private static Path defaultIdentity() {
    Path dir = home().resolve(".ssh");
    for (String name : DEFAULT_KEYS) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    return null;
  }

  /** {@code ~/} is the home of the user running Lockstep; relative paths are the playbook's. */
  private static Path path(StepContext ctx, String text) {
    Path path = text.startsWith("~/") ? home().resolve(text.substring(2)) : Path.of(text);
    return (path.isAbsolute() ? path : ctx.baseDir().resolve(path)).toAbsolutePath().normalize();
  }

  private static Path home() {
    return Path.of(System.getProperty("user.home"));
  }
}
