package dev.sessionhub.hub.client;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One TCP (or TLS) connection to an agent, blocking, used by one worker at a time.
 *
 * <p>Why a socket channel under a blocking socket: a kept-alive connection must be checked before it carries a
 * {@code command}, because a POST is never re-sent, and the check must not wait. A non-blocking read of the
 * channel answers at once: nothing to read (alive and idle), end of stream (the agent closed it) or stray bytes
 * (a broken peer). {@code HttpURLConnection}'s own check, a read with a 1 ms timeout on every reused connection,
 * was the single largest cost of a routed command (1.2 ms of 2.3).
 */
final class AgentConnection implements Closeable {

  private static final int BUFFER = 8192;

  private final Endpoint endpoint;
  private final SocketChannel channel;
  private final Socket socket;
  private final TimedInput timed;
  private final InputStream in;
  private final OutputStream out;
  private long idleSinceNanos;
  private boolean reused;

  private AgentConnection(Endpoint endpoint, SocketChannel channel, Socket socket) throws IOException {
    this.endpoint = endpoint;
    this.channel = channel;
    this.socket = socket;
    this.timed = new TimedInput(socket.getInputStream());
    this.in = new BufferedInputStream(timed, BUFFER);
    this.out = socket.getOutputStream();
  }

  /**
   * Connects within {@code connectMillis} (and, for TLS, completes the handshake within {@code handshakeMillis});
   * {@code abort} may close the channel meanwhile.
   */
  static AgentConnection open(Endpoint endpoint, int connectMillis, int handshakeMillis, SSLSocketFactory tls,
      ConnectionAbort abort) throws IOException {
    SocketChannel channel = SocketChannel.open();
    boolean ok = false;
    try {
      abort.attach(channel);
      Socket plain = channel.socket();
      plain.setTcpNoDelay(true);
      plain.connect(new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port()), connectMillis);
      Socket socket = plain;
      if (endpoint.tls()) {
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, endpoint.host(), endpoint.port(), true);
        ssl.setSoTimeout(handshakeMillis);
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        socket = ssl;
      }
      AgentConnection connection = new AgentConnection(endpoint, channel, socket);
      ok = true;
      return connection;
    } finally {
      if (!ok) {
        channel.close();
      }
    }
  }

  Endpoint endpoint() {
    return endpoint;
  }

  SocketChannel channel() {
    return channel;
  }

  /** The response side, for the call with {@code deadline} (every read from the socket is held to it). */
  InputStream in(Deadline deadline, String from) {
    timed.readFor(deadline, from);
    return in;
  }

  OutputStream out() {
    return out;
  }

  /** Whether this connection carried an earlier call (a failure before any answer may then be its staleness). */
  boolean reused() {
    return reused;
  }

  void idle(long nowNanos) {
    idleSinceNanos = nowNanos;
    reused = true;
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  /**
   * True if the connection can carry another request: open, nothing buffered or waiting to be read, no end of
   * stream. Never blocks.
   */
  boolean isReusable() {
    if (!channel.isOpen()) {
      return false;
    }
    try {
      if (in.available() > 0) {
        return false;
      }
      channel.configureBlocking(false);
      try {
        return channel.read(ByteBuffer.allocate(1)) == 0;
      } finally {
        channel.configureBlocking(true);
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closed
    }
  }
}
