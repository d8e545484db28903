package io.lockstep.ssh;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.common.Buffer;

/**
 * A client of a running ssh-agent over its Unix socket: the two requests public key login needs,
 * listing the agent's keys and signing with one of them (draft-miller-ssh-agent). The private keys
 * never leave the agent, which is why Lockstep asks it rather than reading key files itself.
 *
 * <p>Each message on the socket is a 4-byte length, a type byte and its contents. One request is
 * answered before the next is sent, so the methods are synchronized.
 */
final class SshAgent implements AutoCloseable {

  /** The agent refused or did not understand a request; the socket stays usable. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private static final byte SSH_AGENT_FAILURE = 5;
  private static final byte SSH_AGENTC_REQUEST_IDENTITIES = 11;
  private static final byte SSH_AGENT_IDENTITIES_ANSWER = 12;
  private static final byte SSH_AGENTC_SIGN_REQUEST = 13;
  private static final byte SSH_AGENT_SIGN_RESPONSE = 14;

  /** Sign request flags: RSA signatures over SHA-2, since OpenSSH 8.8 refuses SHA-1 ones. */
  static final int SSH_AGENT_RSA_SHA2_256 = 2;

  static final int SSH_AGENT_RSA_SHA2_512 = 4;

  /** OpenSSH's agent answers at most 256 KiB; a longer length means we are not talking to one. */
  private static final int MAX_MESSAGE = 256 * 1024;

  private final Path socket;
  private final SocketChannel channel;

  private SshAgent(Path socket, SocketChannel channel) {
    this.socket = socket;
    this.channel = channel;
  }

  /**
   * Connects to the agent listening on {@code socket}.
   *
   * @throws IOException when the socket does not exist or nobody listens on it
   */
  static SshAgent connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return new SshAgent(socket, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  Path socket() {
    return socket;
  }

  /** The keys the agent holds, in the agent's order (the order {@code ssh-add -l} lists them). */
  synchronized List<AgentIdentity> identities() throws IOException {
    Buffer.PlainBuffer answer =
        request(new Buffer.PlainBuffer().putByte(SSH_AGENTC_REQUEST_IDENTITIES), "list its keys");
    expect(answer, SSH_AGENT_IDENTITIES_ANSWER, "list its keys");
    int count = answer.readUInt32AsInt();
    List<AgentIdentity> identities = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] blob = answer.readBytes();
      String comment = answer.readString();
      identities.add(new AgentIdentity(blob, comment));
    }
    return identities;
  }

  /**
   * Has the agent sign {@code data} with one of its keys.
   *
   * @param flags {@link #SSH_AGENT_RSA_SHA2_256}, {@link #SSH_AGENT_RSA_SHA2_512} or 0
   * @return the signature as SSH encodes it: algorithm name and signature bytes
   * @throws Refused when the agent will not sign (key removed, confirmation denied, ...)
   */
  synchronized byte[] sign(AgentIdentity key, byte[] data, int flags) throws IOException {
    String what = "sign with " + key.describe();
    Buffer.PlainBuffer answer =
        request(
            new Buffer.PlainBuffer()
                .putByte(SSH_AGENTC_SIGN_REQUEST)
                .putBytes(key.blob())
                .putBytes(data)
                .putUInt32(flags),
            what);
    expect(answer, SSH_AGENT_SIGN_RESPONSE, what);
    return answer.readBytes();
  }

  private Buffer.PlainBuffer request(Buffer.PlainBuffer message, String what) throws IOException {
    byte[] body = message.getCompactData();
    ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
    ByteBuffer length = read(4, what);
    int size = length.getInt();
    if (size < 1 || size > MAX_MESSAGE) {
      throw new IOException(
          "the ssh-agent at " + socket + " sent a message of " + size + " bytes to " + what);
    }
    return new Buffer.PlainBuffer(read(size, what).array());
  }

  private ByteBuffer read(int size, String what) throws IOException {
    ByteBuffer in = ByteBuffer.allocate(size);
    while (in.hasRemaining()) {
      if (channel.read(in) < 0) {
        throw new IOException("the ssh-agent at " + socket + " hung up when asked to " + what);
      }
    }
    return in.flip();
  }

  private void expect(Buffer.PlainBuffer answer, byte type, String what) throws IOException {
    byte got = answer.readByte();
    if (got == SSH_AGENT_FAILURE) {
      throw new Refused("the ssh-agent at " + socket + " refused to " + what);
    }
    if (got != type) {
      throw new IOException(
          "the ssh-agent at " + socket + " answered " + got + " when asked to " + what);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
