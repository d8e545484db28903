package io.lockstep.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks a server's host key against an OpenSSH known_hosts file (plain and hashed entries), the
 * way {@code ssh -o StrictHostKeyChecking=yes} does: an unknown key is refused unless new keys are
 * accepted on purpose, and a changed key is always refused. A refusal is kept as a message for the
 * operator, because sshj itself only reports that verification failed.
 */
final class HostKeys extends OpenSSHKnownHosts {

  /** Appends from parallel branches must not interleave. */
  private static final Object APPEND_LOCK = new Object();

  private final Path file;
  private final boolean acceptNew;
  private volatile String refusal;

  HostKeys(Path file, boolean acceptNew) throws IOException {
    super(file.toFile());
    this.file = file;
    this.acceptNew = acceptNew;
  }

  /** Why the last key was refused, or {@code null}. */
  String refusal() {
    return refusal;
  }

  @Override
  protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
    String offered = describe(key);
    if (acceptNew) {
      return append(hostname, key, offered);
    }
    refusal =
        "host key of "
            + hostname
            + " is not known: the server offered "
            + offered
            + ", and "
            + file
            + (Files.exists(file) ? " has no key for it" : " does not exist")
            + ". Check that fingerprint with the host's owner (on the host: ssh-keygen -lf"
            + " /etc/ssh/ssh_host_ed25519_key.pub), then add the key to that file (ssh-keyscan"
            + scanPort(hostname)
            + " >> "
            + file
            + "), or set acceptNewHostKeys: true to record it on the first connection";
    return false;
  }

  @Override
  protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
    refusal =
        "host key of "
            + hostname
            + " has CHANGED: the server offered "
            + describe(key)
            + ", but "
            + file
            + " holds a different "
            + KeyType.fromKey(key)
            + " key for it. Either the host was reinstalled or someone is intercepting the"
            + " connection. If the change is expected, remove the old entry (ssh-keygen -R '"
            + hostname
            + "' -f "
            + file
            + ") and connect again; acceptNewHostKeys never replaces a known key";
    return false;
  }

  /** {@code ssh-ed25519 SHA256:...}: the form {@code ssh-keygen -l} prints. */
  static String describe(PublicKey key) {
    return KeyType.fromKey(key) + " key " + fingerprint(key);
  }

  static String fingerprint(PublicKey key) {
    try {
      byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private boolean append(String hostname, PublicKey key, String offered) {
    byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    String line =
        hostname + " " + KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob);
    synchronized (APPEND_LOCK) {
      try {
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        boolean needsNewline = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline();
        Files.writeString(
            file,
            (needsNewline ? "\n" : "") + line + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        return true;
      } catch (IOException e) {
        // Connecting without recording would ask the same question again on the next run.
        refusal =
            "cannot record the new host key of "
                + hostname
                + " ("
                + offered
                + ") in "
                + file
                + ": "
                + e
                + "; make the file writable or add the key yourself";
        return false;
      }
    }
  }

  private boolean endsWithNewline() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return bytes[bytes.length - 1] == '\n';
  }

  /** {@code " -p 2201 host"} for {@code [host]:2201}, {@code " host"} for port 22. */
  private static String scanPort(String hostname) {
    if (hostname.startsWith("[") && hostname.contains("]:")) {
      int close = hostname.indexOf("]:");
      return " -p " + hostname.substring(close + 2) + " " + hostname.substring(1, close);
    }
    return " " + hostname;
  }
}
