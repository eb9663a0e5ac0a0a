package dev.sessionhub.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hostile clients on raw loopback sockets for bad-input suites: they send what no well-behaved client would
 * (bytes dribbled one at a time, bodies that never end, garbage instead of HTTP) and report what the server did
 * about it as an {@link Answer}: an HTTP response, or the connection closed without one.
 *
 * <p>Every probe has a hard limit: a watchdog closes the socket if the server neither answers nor closes in
 * time, and the answer then says {@link Answer#gaveUp()}. Pacing (one byte per gap) waits on the socket's read
 * with a timeout, so a server that answers or closes early is noticed at once.
 */
public final class Wire {

  /** The longest any probe waits for a server before giving up on it. */
  public static final Duration HARD_LIMIT = Duration.ofSeconds(30);

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "wire-watchdog");
    t.setDaemon(true);
    return t;
  });

  /**
   * What came back. {@code status} is -1 when the server closed (or reset) the connection without an HTTP
   * response; {@code gaveUp} says the probe's hard limit cut it instead; {@code millis} is how long it took.
   */
  public record Answer(int status, String headers, byte[] body, boolean gaveUp, long millis) {
    public boolean closedWithoutResponse() {
      return status < 0 && !gaveUp;
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      if (gaveUp) {
        return "no answer and still open after " + millis + " ms";
      }
      if (status < 0) {
        return "closed without a response after " + millis + " ms";
      }
      String t = text();
      return "HTTP " + status + " after " + millis + " ms: " + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
    }
  }

  private Wire() {
  }

  /** An HTTP/1.1 POST head with the given path, extra header lines and a Content-Length. */
  public static byte[] postHead(int port, String path, int contentLength, String... headers) {
    StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nContent-Type: text/xml\r\nConnection: close\r\nContent-Length: " + contentLength + "\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A whole POST request that keeps its connection open (HTTP/1.1's default), so more may follow on it. */
  public static byte[] keepAlivePost(int port, String path, String body, String... headers) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = new String(postHead(port, path, bytes.length, headers), StandardCharsets.ISO_8859_1)
        .replace("Connection: close\r\n", "");
    return concat(head.getBytes(StandardCharsets.ISO_8859_1), bytes);
  }

  /** A whole POST request: head and body. */
  public static byte[] post(int port, String path, byte[] body, String... headers) {
    return concat(postHead(port, path, body.length, headers), body);
  }

  public static byte[] post(int port, String path, String body, String... headers) {
    return post(port, path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** Sends {@code request} at once and reads the answer (or notices the close). */
  public static Answer send(int port, byte[] request) {
    return probe(port, HARD_LIMIT, (socket, out, in) -> {
      try {
        out.write(request);
        out.flush();
      } catch (IOException refusedMidRequest) {
        // The server may answer and close before taking everything; what it said is still readable.
      }
      return null;
    });
  }

  public static Answer send(int port, String request) {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Sends {@code prefix} at once, then one byte of {@code rest} every {@code gap} (cycling through it forever if
   * {@code forever}), until the server answers or closes, or {@code limit} passes.
   */
  public static Answer dribble(int port, byte[] prefix, byte[] rest, Duration gap, boolean forever, Duration limit) {
    return probe(port, limit, (socket, out, in) -> {
      out.write(prefix);
      out.flush();
      socket.setSoTimeout((int) Math.max(1, gap.toMillis()));
      int i = 0;
      while (forever || i < rest.length) {
        Integer first = readWithin(in);
        if (first != null) {
          return first;
        }
        out.write(rest[i % rest.length]);
        out.flush();
        i++;
      }
      return null;
    });
  }

  /** Sends {@code head}, then chunks of {@code chunkSize} bytes for as long as the server takes them. */
  public static Answer chunkedForever(int port, byte[] head, int chunkSize, Duration limit) {
    byte[] data = new byte[chunkSize];
    Arrays.fill(data, (byte) 'a');
    byte[] chunk = concat((Integer.toHexString(chunkSize) + "\r\n").getBytes(StandardCharsets.ISO_8859_1), data,
        "\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return probe(port, limit, (socket, out, in) -> {
      out.write(head);
      while (in.available() == 0) {
        out.write(chunk);
        out.flush();
      }
      return null;
    });
  }

  /** Sends {@code head} and {@code partOfBody}, then nothing: waits for the server to answer or close. */
  public static Answer stall(int port, byte[] head, byte[] partOfBody, Duration limit) {
    return probe(port, limit, (socket, out, in) -> {
      out.write(head);
      out.write(partOfBody);
      out.flush();
      return null;
    });
  }

  /** What a probe does with the socket before the answer is read; returns a first byte it already read. */
  @FunctionalInterface
  interface Script {
    Integer run(Socket socket, OutputStream out, InputStream in) throws IOException;
  }

  private static Answer probe(int port, Duration limit, Script script) {
    long start = System.nanoTime();
    boolean[] cut = new boolean[1];
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
        synchronized (cut) {
          cut[0] = true;
        }
        try {
          socket.close();
        } catch (IOException ignored) {
          // already closed
        }
      }, limit.toMillis(), TimeUnit.MILLISECONDS);
      try {
        Integer first;
        try {
          first = script.run(socket, socket.getOutputStream(), socket.getInputStream());
        } catch (IOException writeFailed) {
          first = null; // the server closed or reset while we were still sending; read what it left
        }
        return read(socket, first, start, cut);
      } finally {
        watchdog.cancel(false);
      }
    } catch (IOException e) {
      return new Answer(-1, "", new byte[0], gaveUp(cut), elapsed(start));
    }
  }

  private static boolean gaveUp(boolean[] cut) {
    synchronized (cut) {
      return cut[0];
    }
  }

  /** One byte if the server sent one within the socket's read timeout, -1 if it closed, null if silent. */
  private static Integer readWithin(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketTimeoutException silent) {
      return null;
    }
  }

  private static Answer read(Socket socket, Integer first, long start, boolean[] cut) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      socket.setSoTimeout(0);
      if (first != null) {
        if (first < 0) {
          return new Answer(-1, "", new byte[0], false, elapsed(start));
        }
        all.write(first);
      }
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        all.write(buf, 0, n);
        if (complete(all.toByteArray())) {
          break;
        }
      }
    } catch (IOException closedOrReset) {
      // whatever arrived before the close or reset is the answer
    }
    return parse(all.toByteArray(), gaveUp(cut), elapsed(start));
  }

  private static boolean complete(byte[] sofar) {
    int end = indexOf(sofar, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      return false;
    }
    long length = contentLength(new String(sofar, 0, end, StandardCharsets.ISO_8859_1));
    return length >= 0 && sofar.length >= end + 4 + length;
  }

  private static Answer parse(byte[] bytes, boolean gaveUp, long millis) {
    int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0 || !new String(bytes, 0, Math.min(bytes.length, 5), StandardCharsets.ISO_8859_1).equals("HTTP/")) {
      return new Answer(-1, "", bytes, gaveUp, millis);
    }
    String headers = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(headers.split(" ")[1]);
    long length = contentLength(headers);
    int to = length < 0 ? bytes.length : (int) Math.min(bytes.length, end + 4 + length);
    return new Answer(status, headers, Arrays.copyOfRange(bytes, end + 4, to), false, millis);
  }

  private static long contentLength(String headers) {
    for (String line : headers.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        return Long.parseLong(line.substring(15).trim());
      }
    }
    return -1;
  }

  private static long elapsed(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
