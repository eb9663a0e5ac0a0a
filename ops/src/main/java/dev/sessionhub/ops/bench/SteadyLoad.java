package dev.sessionhub.ops.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator for benchmarks: sends {@code server_data()} at a fixed rate for a fixed time, on a
 * few connections, reconnecting when the server closes (HTTP/1.0 servers do after each reply). It is the same
 * generator for every server compared, so the comparison is fair.
 *
 * <p>usage: {@code java -cp sessionhub.jar dev.sessionhub.ops.bench.SteadyLoad PORT RATE SECONDS}
 */
public final class SteadyLoad {

  private static final byte[] BODY = ("<?xml version='1.0'?>\n<methodCall>\n<methodName>server_data</methodName>\n"
      + "<params>\n</params>\n</methodCall>\n").getBytes(StandardCharsets.UTF_8);

  private SteadyLoad() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int rate = Integer.parseInt(args[1]);
    double seconds = Double.parseDouble(args[2]);
    int lanes = 4;
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long interval = (long) (1e9 * lanes / rate);
    List<Thread> threads = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      long offset = interval * lane / lanes;
      Thread t = new Thread(() -> runLane(port, start + offset, interval, end, ok, failed), "load-" + lane);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double took = (System.nanoTime() - start) / 1e9;
    System.out.printf("RESULT sent_ok=%d failed=%d seconds=%.2f rate=%.0f/s%n", ok.get(), failed.get(), took,
        ok.get() / took);
  }

  private static void runLane(int port, long first, long interval, long end, AtomicLong ok, AtomicLong failed) {
    Socket socket = null;
    long next = first;
    while (next < end) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      next += interval;
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
          socket.setSoTimeout(5000);
        }
        if (exchange(socket)) {
          socket.close();
          socket = null;
        }
        ok.incrementAndGet();
      } catch (IOException e) {
        failed.incrementAndGet();
        closeQuietly(socket);
        socket = null;
      }
    }
    closeQuietly(socket);
  }

  /** Sends one request and reads the reply; true when the server will close the connection. */
  private static boolean exchange(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: "
        + BODY.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(BODY);
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    if (c < 0) {
      throw new IOException("connection closed before the reply");
    }
    String headers = head.toString().toLowerCase();
    boolean close = headers.startsWith("http/1.0") || headers.contains("connection: close");
    int length = -1;
    for (String line : headers.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    if (length >= 0) {
      in.readNBytes(length);
    } else {
      in.readAllBytes();
      close = true;
    }
    return close;
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
