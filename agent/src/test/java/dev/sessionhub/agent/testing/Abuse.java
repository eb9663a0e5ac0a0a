package dev.sessionhub.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Composite abuse for bad-input suites, built on {@link Wire}: crowds of slow-loris clients while normal calls
 * must still be served, a keep-alive connection that turns slow after a good request, hundreds of idle
 * connections, bursts of concurrent calls. Each returns one {@link Wire.Answer} for the case table and asserts
 * the rest itself.
 */
public final class Abuse {

  private static final byte[] REQUEST_LINE = "POST /RPC2 HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SLOW_HEADER = "X-Slow: loris\r\n".getBytes(StandardCharsets.US_ASCII);

  private Abuse() {
  }

  /**
   * A client that writes {@code request} again and again on one connection and never reads an answer, until its
   * writes stop being taken (the server stopped reading it) or {@code maxBytes} are written or {@code limit} has
   * passed; then {@code normalCall} must be answered within {@code normalWithin} while that client still holds
   * its connection. Answers the normal call.
   */
  public static Wire.Answer whileAClientNeverReads(int port, byte[] request, long maxBytes, Duration limit,
      Duration normalWithin, Callable<Wire.Answer> normalCall) throws Exception {
    try (java.nio.channels.SocketChannel flood = java.nio.channels.SocketChannel.open()) {
      flood.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096);
      flood.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      flood.configureBlocking(false);
      long deadline = System.nanoTime() + limit.toNanos();
      long written = 0;
      java.nio.ByteBuffer next = java.nio.ByteBuffer.wrap(request);
      try (java.nio.channels.Selector writable = java.nio.channels.Selector.open()) {
        flood.register(writable, java.nio.channels.SelectionKey.OP_WRITE);
        while (written < maxBytes && System.nanoTime() < deadline) {
          int n = flood.write(next);
          written += n;
          if (!next.hasRemaining()) {
            next = java.nio.ByteBuffer.wrap(request);
          }
          if (n == 0) {
            if (writable.select(300) == 0) {
              break;  // nothing taken for 300 ms: the server stopped reading this client
            }
            writable.selectedKeys().clear();
          }
        }
      }
      long start = System.nanoTime();
      Wire.Answer normal = normalCall.call();
      long ms = millis(start);
      if (ms > normalWithin.toMillis()) {
        throw new AssertionError("a normal call took " + ms + " ms while a client that never reads held "
            + written + " bytes of requests on its connection");
      }
      return normal;
    }
  }

  /** Dribbles header lines after a complete request line, one byte per {@code gap}, forever. */
  public static Wire.Answer dribbleHeaders(int port, Duration gap, Duration limit) {
    return Wire.dribble(port, REQUEST_LINE, SLOW_HEADER, gap, true, limit);
  }

  /**
   * Sends {@code goodRequest} (keep-alive) and reads its answer, which must be a 200; then dribbles the next
   * request's headers on the same connection. Answers how the server ended that connection.
   */
  public static Wire.Answer keepAliveThenDribble(int port, byte[] goodRequest, Duration gap, Duration limit)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(goodRequest);
      RawHttp.Response first = RawHttp.read(in);
      if (first.status() != 200) {
        throw new AssertionError("the first request on the connection must be served, got " + first.status()
            + " " + first.text());
      }
      long start = System.nanoTime();
      socket.setSoTimeout((int) Math.max(1, gap.toMillis()));
      out.write(REQUEST_LINE);
      for (int i = 0; System.nanoTime() - start < limit.toNanos(); i++) {
        try {
          int b = in.read();
          return b < 0 ? closed(start) : new Wire.Answer(0, "unexpected bytes on an idle connection", new byte[0],
              false, millis(start));
        } catch (SocketTimeoutException silent) {
          try {
            out.write(SLOW_HEADER[i % SLOW_HEADER.length]);
          } catch (IOException gone) {
            return closed(start);
          }
        } catch (IOException reset) {
          return closed(start);
        }
      }
      return new Wire.Answer(-1, "", new byte[0], true, millis(start));
    }
  }

  /**
   * {@code each} clients dribble headers and {@code each} more dribble a body announced by {@code bodyHead} while
   * {@code normalCall} runs five times, each within {@code normalWithin}; every slow client must be cut (closed
   * or 408). Answers the slowest cut.
   */
  public static Wire.Answer slowLorisCrowd(int port, int each, byte[] bodyHead, byte[] body, Duration gap,
      Runnable normalCall, Duration normalWithin) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2 * each);
    try {
      List<Future<Wire.Answer>> lorises = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        lorises.add(pool.submit(() -> dribbleHeaders(port, gap, Wire.HARD_LIMIT)));
        lorises.add(pool.submit(() -> Wire.dribble(port, bodyHead, body, gap, true, Wire.HARD_LIMIT)));
      }
      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        normalCall.run();
        long ms = millis(start);
        if (ms > normalWithin.toMillis()) {
          throw new AssertionError("a normal call took " + ms + " ms among " + 2 * each + " slow-loris clients");
        }
      }
      Wire.Answer slowest = null;
      for (Future<Wire.Answer> f : lorises) {
        Wire.Answer a = f.get(Wire.HARD_LIMIT.toSeconds() + 10, TimeUnit.SECONDS);
        if (!a.closedWithoutResponse() && a.status() != 408) {
          throw new AssertionError("every slow-loris client must be cut, one got: " + a);
        }
        if (slowest == null || a.millis() > slowest.millis()) {
          slowest = a;
        }
      }
      return slowest;
    } finally {
      shut(pool);
    }
  }

  /** Opens {@code count} connections that stay silent, runs {@code meanwhile}, closes them; its answer. */
  public static Wire.Answer whileIdleConnectionsOpen(int port, int count, Callable<Wire.Answer> meanwhile)
      throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        idle.add(new Socket(InetAddress.getLoopbackAddress(), port));
      }
      return meanwhile.call();
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  /** Runs {@code call} {@code count} times at once; each must answer {@code status}. Answers the last. */
  public static Wire.Answer concurrently(int count, int status, Callable<Wire.Answer> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Future<Wire.Answer>> calls = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        calls.add(pool.submit(call));
      }
      Wire.Answer last = null;
      for (Future<Wire.Answer> f : calls) {
        last = f.get(60, TimeUnit.SECONDS);
        if (last.status() != status) {
          throw new AssertionError("one of " + count + " concurrent calls got " + last);
        }
      }
      return last;
    } finally {
      shut(pool);
    }
  }

  private static void shut(ExecutorService pool) throws InterruptedException {
    pool.shutdownNow();
    if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new AssertionError("client threads did not stop");
    }
  }

  private static Wire.Answer closed(long start) {
    return new Wire.Answer(-1, "", new byte[0], false, millis(start));
  }

  private static long millis(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
