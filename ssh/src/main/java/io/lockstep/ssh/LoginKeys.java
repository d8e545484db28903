package io.lockstep.ssh;

import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * The keys one login offers, in the order OpenSSH offers them: those of the ssh-agent, then the
 * identity file. Everything that can be wrong before the server is asked (a missing socket or key
 * file, a wrong passphrase, an empty agent) is found while gathering them, so it is named as such
 * rather than as a refusal by the server. Holds the agent's socket open until the login is over.
 */
final class LoginKeys implements AutoCloseable {

  private final String where;
  private final SshTarget target;
  private final SshAgent agent;
  private final List<AgentIdentity> agentKeys;
  private final KeyProvider identity;

  /** What went wrong without stopping the login: kept for the message if it fails. */
  private final List<String> notes = new CopyOnWriteArrayList<>();

  private LoginKeys(
      String where,
      SshTarget target,
      SshAgent agent,
      List<AgentIdentity> agentKeys,
      KeyProvider identity,
      List<String> notes) {
    this.where = where;
    this.target = target;
    this.agent = agent;
    this.agentKeys = agentKeys;
    this.identity = identity;
    this.notes.addAll(notes);
  }

  /**
   * Reads the identity file and lists the agent's keys, as the target says.
   *
   * @param passphrase the identity's passphrase, or {@code null}
   * @throws StepFailedException when there is no key to offer, saying why and what to do
   */
  static LoginKeys gather(SshTarget target, String passphrase, String where) {
    KeyProvider identity =
        target.identity() == null ? null : readIdentity(target, passphrase, where);
    List<String> notes = new ArrayList<>();
    SshAgent agent = null;
    List<AgentIdentity> agentKeys = List.of();
    if (target.agent() != null) {
      try {
        agent = connect(target);
        agentKeys = List.copyOf(agent.identities());
      } catch (Unavailable e) {
        // A stale SSH_AUTH_SOCK (an agent long gone) does not stop ssh from using a key file, nor
        // does it stop us; a socket the playbook names does.
        if (identity == null || !target.agentFromEnvironment()) {
          throw new StepFailedException(where + ": " + e.getMessage() + UNAVAILABLE_ADVICE, e);
        }
        notes.add(e.getMessage());
      } catch (IOException e) {
        closeQuietly(agent);
        throw new StepFailedException(
            where + ": cannot list the keys of the ssh-agent at " + target.agent() + ": " + e, e);
      }
      if (agent != null && agentKeys.isEmpty()) {
        if (identity == null) {
          closeQuietly(agent);
          throw new StepFailedException(
              where
                  + ": the ssh-agent at "
                  + target.agent()
                  + " ("
                  + target.agentOrigin()
                  + ") holds no keys; add the key to log in with (ssh-add ~/.ssh/id_ed25519),"
                  + " or set identity on the step or target to a private key file");
        }
        notes.add("the ssh-agent at " + target.agent() + " holds no keys");
      }
    }
    return new LoginKeys(where, target, agent, agentKeys, identity, notes);
  }

  /** The login attempts, one per key: the agent's keys in its order, then the identity file. */
  List<AuthMethod> methods() {
    List<AuthMethod> methods = new ArrayList<>();
    for (AgentIdentity key : agentKeys) {
      methods.add(new AgentAuth(agent, key, notes::add));
    }
    if (identity != null) {
      methods.add(new AuthPublickey(identity));
    }
    return methods;
  }

  /** Why the login failed: every key offered, so the user can tell which to authorize. */
  String refusal() {
    String user = "'" + target.user() + "'";
    String message;
    if (agentKeys.isEmpty()) {
      message =
          where
              + ": the server refused the key "
              + target.identity()
              + " for user "
              + user
              + "; add its public key to that user's authorized_keys on the host, or set"
              + " identity (or user) on the step or target";
    } else {
      List<String> keys = new ArrayList<>();
      agentKeys.forEach(key -> keys.add(key.describe()));
      message =
          where
              + ": the server refused every key offered for user "
              + user
              + ": from the ssh-agent at "
              + target.agent()
              + ": "
              + String.join(", ", keys)
              + (identity == null ? "" : "; the identity file " + target.identity())
              + "; add the public key to that user's authorized_keys on the host, add the right"
              + " key to the agent (ssh-add), or set identity (or user) on the step or target";
    }
    return notes.isEmpty() ? message : message + " (" + String.join("; ", notes) + ")";
  }

  @Override
  public void close() {
    closeQuietly(agent);
  }

  private static final String UNAVAILABLE_ADVICE =
      "; start ssh-agent (eval $(ssh-agent); ssh-add) and point SSH_AUTH_SOCK or the agent setting"
          + " at its socket, or set identity on the step or target to a private key file";

  /** The agent cannot be asked; the message names its socket and where that came from. */
  private static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static SshAgent connect(SshTarget target) throws Unavailable {
    Path socket = target.agent();
    String named = socket + " (" + target.agentOrigin() + ")";
    if (!Files.exists(socket)) {
      throw new Unavailable("the ssh-agent socket " + named + " does not exist", null);
    }
    try {
      return SshAgent.connect(socket);
    } catch (IOException | RuntimeException e) {
      throw new Unavailable(
          "cannot reach an ssh-agent at "
              + named
              + ": "
              + (e.getMessage() == null ? e.toString() : e.getMessage()),
          e);
    }
  }

  /** Reads the private key now, so a wrong passphrase is named as such rather than as a refusal. */
  private static KeyProvider readIdentity(SshTarget target, String passphrase, String where) {
    if (!Files.isRegularFile(target.identity())) {
      throw new StepFailedException(
          where
              + ": identity file "
              + target.identity()
              + " does not exist; set identity on the step or target to the private key to log in"
              + " with, or leave it unset to use the keys of ssh-agent");
    }
    try (SSHClient loader = new SSHClient()) {
      KeyProvider keys =
          passphrase == null
              ? loader.loadKeys(target.identity().toString())
              : loader.loadKeys(target.identity().toString(), passphrase.toCharArray());
      keys.getPrivate();
      return keys;
    } catch (IOException | RuntimeException e) {
      throw new StepFailedException(
          where
              + ": cannot read identity "
              + target.identity()
              + (passphrase == null
                  ? " ("
                      + e.getMessage()
                      + "); if it is encrypted, set passphraseSecret to the"
                      + " name of the secret holding its passphrase"
                  : " with the passphrase from secret '"
                      + target.passphraseSecret()
                      + "' ("
                      + e.getMessage()
                      + "); check the passphrase"),
          e);
    }
  }

  private static void closeQuietly(SshAgent agent) {
    if (agent == null) {
      return;
    }
    try {
      agent.close();
    } catch (IOException e) {
      // only the socket is left to release, and it goes with the channel
    }
  }
}
