package dev.sessionhub.hub.impl.client;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.util.Timeout;

/**
 * HttpClient's connection to an agent, with a staleness check that never waits, run before every reuse.
 *
 * <p>Why: a kept-alive connection must be checked before it carries a {@code command}, because a POST is never
 * sent twice. HttpClient's own check reads with a 1 ms timeout, a millisecond lost on every reused call (the
 * whole of a routed command's budget), and takes stray bytes from a broken peer for a live connection (they
 * would then be read as the next call's answer). Here the socket comes from a {@link SocketChannel} ({@link
 * ChannelSockets}) and the check is a non-blocking read of it: nothing to read is alive and idle; end of stream
 * (the agent closed) or bytes nobody asked for make the connection stale. Bytes HttpClient already buffered are
 * seen too (plain connections; a TLS session's own buffer cannot be looked at without waiting).
 */
final class CheckedConnection extends DefaultManagedHttpClientConnection {

  private static final Timeout BUFFER_PEEK = Timeout.ofMilliseconds(1);

  private volatile SocketChannel channel;
  private volatile boolean tls;

  CheckedConnection(String id, Http1Config http1Config) {
    super(id, null, null, http1Config, null, null, null, null);
  }

  @Override
  public void bind(Socket socket) throws IOException {
    super.bind(socket);
    channel = socket.getChannel();
  }

  @Override
  public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
    super.bind(sslSocket, socket);
    channel = socket == null ? null : socket.getChannel();
    tls = true;
  }

  @Override
  public boolean isStale() throws IOException {
    SocketChannel c = channel;
    if (c == null) {
      return super.isStale();
    }
    if (!isOpen() || !c.isOpen()) {
      return true;
    }
    try {
      synchronized (c.blockingLock()) {
        c.configureBlocking(false);
        try {
          if (c.read(ByteBuffer.allocate(1)) != 0) {
            return true;
          }
          return !tls && strayBytesBuffered();
        } finally {
          c.configureBlocking(true);
        }
      }
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /**
   * Whether HttpClient's input buffer holds bytes: it answers from the buffer if it can, else tries the socket,
   * which in non-blocking mode refuses at once instead of waiting.
   */
  private boolean strayBytesBuffered() throws IOException {
    try {
      return isDataAvailable(BUFFER_PEEK);
    } catch (IllegalBlockingModeException nothingBuffered) {
      return false;
    }
  }
}
