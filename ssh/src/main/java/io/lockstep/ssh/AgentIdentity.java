package io.lockstep.ssh;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;

/**
 * A public key an ssh-agent holds: its SSH encoding (the blob the agent and the server name it by)
 * and the comment {@code ssh-add} gave it.
 */
record AgentIdentity(byte[] blob, String comment) {

  /**
   * One way to present the key in a login request.
   *
   * @param name the public key algorithm named in the request and in the signature
   * @param flags the sign request flags that make the agent sign with that algorithm
   */
  record Algorithm(String name, int flags) {}

  /** {@code ssh-ed25519}, {@code ssh-rsa}, ...: the first field of the blob. */
  String keyType() {
    try {
      return new Buffer.PlainBuffer(blob).readString();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The algorithms to offer this key with, best first. An RSA key is offered as rsa-sha2-512, then
   * rsa-sha2-256, never as ssh-rsa: OpenSSH 8.8 and later refuse SHA-1 signatures, and each refused
   * attempt counts against the server's MaxAuthTries. Other keys have one algorithm, named like
   * their type.
   */
  List<Algorithm> algorithms() {
    String type = keyType();
    if (type.equals("ssh-rsa")) {
      return List.of(
          new Algorithm("rsa-sha2-512", SshAgent.SSH_AGENT_RSA_SHA2_512),
          new Algorithm("rsa-sha2-256", SshAgent.SSH_AGENT_RSA_SHA2_256));
    }
    return List.of(new Algorithm(type, 0));
  }

  /** {@code SHA256:...}, as {@code ssh-add -l} prints it. */
  String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** {@code ssh-ed25519 key SHA256:... (comment)}: the form messages name keys in. */
  String describe() {
    return keyType()
        + " key "
        + fingerprint()
        + (comment == null || comment.isBlank() ? "" : " (" + comment + ")");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AgentIdentity that
        && Arrays.equals(blob, that.blob)
        && comment.equals(that.comment);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blob) * 31 + comment.hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}
