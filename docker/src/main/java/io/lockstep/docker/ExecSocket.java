package io.lockstep.docker;

import io.lockstep.steps.StepFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A started exec instance attached over its own connection to the daemon, upgraded to a raw stream
 * ({@code POST /exec/ID/start} with {@code Upgrade: tcp}), as {@code docker exec -i} does: the
 * exec's multiplexed stdout and stderr come in, its stdin goes out, and {@link #closeStdin()}
 * half-closes the connection so the program reads end of file. docker-java's hijacking never
 * half-closes, so a restore could not end; hence this one class speaks HTTP itself, on a unix
 * socket or plain TCP.
 */
final class ExecSocket implements AutoCloseable {

  private final SocketChannel channel;
  private final InputStream in;

  private ExecSocket(SocketChannel channel, InputStream in) {
    this.channel = channel;
    this.in = in;
  }

  /**
   * Connects to the daemon at {@code host} and starts the exec.
   *
   * @throws StepFailedException when the endpoint is not unix:// or plain tcp://, or the daemon
   *     refuses
   */
  static ExecSocket start(String host, String execId, String what) {
    SocketChannel channel;
    String authority;
    try {
      if (host.startsWith("unix://")) {
        channel =
            SocketChannel.open(UnixDomainSocketAddress.of(host.substring("unix://".length())));
        authority = "docker";
      } else if (host.startsWith("tcp://") && !tls()) {
        URI uri = URI.create(host);
        channel =
            SocketChannel.open(
                new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()));
        authority = uri.getHost();
      } else {
        throw new StepFailedException(
            what
                + ": the database transport streams to Docker over unix:// or plain tcp:// only,"
                + " not "
                + host
                + (tls() ? " with TLS" : ""));
      }
    } catch (IOException e) {
      throw new DockerUnavailableException(host, e.getMessage());
    }
    try {
      byte[] body = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.UTF_8);
      String request =
          "POST /exec/"
              + execId
              + "/start HTTP/1.1\r\nHost: "
              + authority
              + "\r\nContent-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n\r\n";
      OutputStream out = output(channel);
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      InputStream in = input(channel);
      String status = readHead(in);
      if (!status.startsWith("HTTP/1.1 101") && !status.startsWith("HTTP/1.1 200")) {
        throw new StepFailedException(what + ": Docker answered " + status.strip());
      }
      return new ExecSocket(channel, in);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // failing anyway
      }
      if (e instanceof StepFailedException failed) {
        throw failed;
      }
      throw new StepFailedException(what + ": cannot attach to the exec: " + e.getMessage(), e);
    }
  }

  private static boolean tls() {
    String verify = System.getenv("DOCKER_TLS_VERIFY");
    return verify != null && !verify.isBlank() && !verify.equals("0");
  }

  /** Reads the response head; returns its status line. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the daemon closed the connection");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 64 * 1024) {
        throw new IOException("no end of the response head");
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, Math.max(0, text.indexOf("\r\n")));
  }

  /** The exec's multiplexed stdout and stderr ({@link Frames}). */
  InputStream output() {
    return in;
  }

  /** The exec's stdin; closing it half-closes the connection, which ends the program's input. */
  OutputStream stdin() {
    OutputStream out = output(channel);
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        if (channel.isOpen()) {
          channel.shutdownOutput();
        }
      }
    };
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // gone either way
    }
  }

  /**
   * Streams on the channel itself: {@code Channels.newInputStream} and {@code newOutputStream}
   * share one lock, so a read waiting for output would block writing the input.
   */
  private static InputStream input(SocketChannel channel) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
          return 0;
        }
        int n = channel.read(ByteBuffer.wrap(bytes, offset, length));
        return n == 0 ? read(bytes, offset, length) : n;
      }
    };
  }

  private static OutputStream output(SocketChannel channel) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    };
  }
}
