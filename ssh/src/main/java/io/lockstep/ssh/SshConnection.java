package io.lockstep.ssh;

import io.lockstep.steps.StepFailedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * One authenticated SSH connection to a host, shared by the steps of a run through the run's
 * resources and closed by the engine when the run stops. Sessions (one per command) and SFTP
 * channels are opened on it as needed; each is cheap next to the handshake.
 */
public final class SshConnection implements AutoCloseable {

  /**
   * The connection was found dead when a channel was to be opened on it: nothing ran, so the step
   * may connect again and go on.
   */
  static final class Lost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Lost(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Seconds between keep-alive messages, so a dead peer is noticed while a command is quiet. */
  private static final int KEEP_ALIVE_SECONDS = 15;

  private final SshTarget target;
  private final SSHClient client;

  private SshConnection(SshTarget target, SSHClient client) {
    this.target = target;
    this.client = client;
  }

  /**
   * Connects, checks the host key and logs in with the keys of the target's agent and identity.
   *
   * @param passphrase the identity's passphrase, or {@code null}
   * @throws StepFailedException saying what is wrong and what to do
   */
  static SshConnection open(SshTarget target, String passphrase) {
    String where = "ssh " + target.address();
    // Gathered first: a missing key is named before the network is touched.
    try (LoginKeys keys = LoginKeys.gather(target, passphrase, where)) {
      return connect(target, keys, where);
    }
  }

  private static SshConnection connect(SshTarget target, LoginKeys keys, String where) {
    HostKeys hostKeys;
    try {
      hostKeys = new HostKeys(target.knownHosts(), target.acceptNewHostKeys());
    } catch (IOException e) {
      throw new StepFailedException(
          where + ": cannot read known_hosts file " + target.knownHosts() + ": " + e, e);
    }
    SSHClient client = new SSHClient(new DefaultConfig());
    client.addHostKeyVerifier(hostKeys);
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, target.connectTimeout().toMillis());
    client.setConnectTimeout(timeoutMillis);
    try {
      try {
        client.connect(target.host(), target.port());
      } catch (TransportException e) {
        if (hostKeys.refusal() != null) {
          throw new StepFailedException(where + ": " + hostKeys.refusal(), e);
        }
        throw new StepFailedException(
            where + ": the SSH handshake failed: " + e.getMessage() + "; is an SSH server there?",
            e);
      } catch (ConnectException | NoRouteToHostException e) {
        throw new StepFailedException(
            where
                + ": cannot connect ("
                + e.getMessage()
                + "); check that the host is up and sshd listens on port "
                + target.port(),
            e);
      } catch (SocketTimeoutException e) {
        throw new StepFailedException(
            where
                + ": no answer within "
                + target.connectTimeout().toSeconds()
                + "s; check the address and any firewall, or raise connectTimeout",
            e);
      } catch (UnknownHostException e) {
        throw new StepFailedException(
            where + ": unknown host '" + target.host() + "'; check the host setting", e);
      }
      client.getConnection().getKeepAlive().setKeepAliveInterval(KEEP_ALIVE_SECONDS);
      try {
        // One attempt per key, in turn, until the server accepts one.
        client.auth(target.user(), keys.methods());
      } catch (UserAuthException e) {
        throw new StepFailedException(keys.refusal(), e);
      }
      return new SshConnection(target, client);
    } catch (IOException e) {
      closeQuietly(client);
      throw new StepFailedException(where + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw e;
    }
  }

  SshTarget target() {
    return target;
  }

  /** Whether the transport is still up and authenticated. */
  boolean isOpen() {
    return client.isConnected() && client.isAuthenticated();
  }

  /**
   * A new session for one command.
   *
   * @throws Lost when the connection died since it was opened
   */
  Session session() {
    try {
      return client.startSession();
    } catch (IOException | IllegalStateException e) {
      throw failure("cannot open a session", e);
    }
  }

  /**
   * A new SFTP channel; close it after use.
   *
   * @throws Lost when the connection died since it was opened
   */
  SFTPClient sftp() {
    try {
      return client.newSFTPClient();
    } catch (IOException | IllegalStateException e) {
      throw failure("cannot start SFTP (is the sftp subsystem enabled in sshd_config?)", e);
    }
  }

  /** {@link Lost} when the transport is gone, else a failure of this channel alone. */
  private RuntimeException failure(String what, Exception e) {
    if (!isOpen()) {
      return new Lost("ssh " + target.address() + ": the connection was lost (" + e + ")", e);
    }
    return new StepFailedException("ssh " + target.address() + ": " + what + ": " + e, e);
  }

  @Override
  public void close() throws IOException {
    client.disconnect();
  }

  private static void closeQuietly(SSHClient client) {
    try {
      client.disconnect();
    } catch (IOException e) {
      // failing anyway; the socket goes with the client
    }
  }
}
