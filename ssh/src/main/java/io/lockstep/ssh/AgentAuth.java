package io.lockstep.ssh;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * Public key login (RFC 4252, section 7) with one key an ssh-agent holds, the agent signing in
 * place of a private key file: what sshj's {@code AuthPublickey} does, minus the key.
 *
 * <p>As OpenSSH does, it first asks the server whether it would accept the key (a request without a
 * signature); only on the server's {@code SSH_MSG_USERAUTH_PK_OK} does the agent sign. So an agent
 * that confirms each use ({@code ssh-add -c}) is asked only for the key that gets in.
 */
final class AgentAuth extends AbstractAuthMethod {

  private final SshAgent agent;
  private final AgentIdentity key;
  private final Consumer<String> problems;
  private final Deque<AgentIdentity.Algorithm> algorithms;

  /**
   * @param problems told why the agent would not sign, for the message when login fails
   */
  AgentAuth(SshAgent agent, AgentIdentity key, Consumer<String> problems) {
    super("publickey");
    this.agent = agent;
    this.key = key;
    this.problems = problems;
    this.algorithms = new ArrayDeque<>(key.algorithms());
  }

  /** The request without a signature: would the server take this key? */
  @Override
  protected SSHPacket buildReq() throws UserAuthException {
    return request(false);
  }

  @Override
  public void handle(Message msg, SSHPacket buf) throws UserAuthException, TransportException {
    if (msg == Message.USERAUTH_60) {
      params.getTransport().write(signedRequest());
    } else {
      super.handle(msg, buf);
    }
  }

  /** A refused RSA key is offered again with the next algorithm (rsa-sha2-256 after -512). */
  @Override
  public boolean shouldRetry() {
    algorithms.poll();
    return !algorithms.isEmpty();
  }

  /**
   * The request again, with the agent's signature over the session id and the request itself, as
   * RFC 4252 prescribes; the flags make the agent sign an RSA key with the SHA-2 named.
   */
  private SSHPacket signedRequest() throws UserAuthException {
    SSHPacket request = request(true);
    byte[] signed =
        new Buffer.PlainBuffer()
            .putString(params.getTransport().getSessionID())
            .putBuffer(request)
            .getCompactData();
    try {
      byte[] signature = agent.sign(key, signed, algorithms.element().flags());
      return request.putBytes(signature);
    } catch (IOException e) {
      problems.accept(e.getMessage());
      throw new UserAuthException(e.getMessage(), e);
    }
  }

  private SSHPacket request(boolean signed) throws UserAuthException {
    return super.buildReq()
        .putBoolean(signed)
        .putString(algorithms.element().name())
        .putBytes(key.blob());
  }

  @Override
  public String toString() {
    return key.describe() + " from the ssh-agent at " + agent.socket();
  }
}
