package dev.sessionhub.hub.impl.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * A scriptable, misbehaving HTTP server on a loopback port chosen by the OS, in the spirit of OkHttp's
 * MockWebServer: it reads each request (and records it), then runs a {@link Script} that may answer properly,
 * answer garbage, stall, trickle, stream forever or reset.
 *
 * <p>It also counts connections and how many ended because the client went away, so tests can prove that the
 * client let go of a hostile connection.
 */
public final class HostileServer implements AutoCloseable {

  /** What the server does with one connection, after it has read the request. */
  @FunctionalInterface
  public interface Script {
    void answer(Socket socket, Request request) throws IOException;
  }

  /** One recorded request: the header block (request line included) and the body. */
  public record Request(String head, byte[] body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger clientHangups = new AtomicInteger();
  private volatile Script script;

  private HostileServer(Script script, ServerSocket server) {
    this.script = script;
    this.server = server;
    this.acceptor = new Thread(this::acceptLoop, "hostile-server-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static HostileServer start(Script script) throws IOException {
    return new HostileServer(script, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  /** The same server behind TLS: {@code context} holds its certificate and key; the script sees plain bytes. */
  public static HostileServer startTls(Script script, SSLContext context) throws IOException {
    return new HostileServer(script, context.getServerSocketFactory().createServerSocket(0, 50,
        InetAddress.getLoopbackAddress()));
  }

  public int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  String httpsUrl() {
    return "https://127.0.0.1:" + port() + "/";
  }

  void script(Script next) {
    this.script = next;
  }

  public int connections() {
    return connections.get();
  }

  /** Connections that ended because the client closed or reset them while the script was still going. */
  int clientHangups() {
    return clientHangups.get();
  }

  List<Request> requests() {
    return requests;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        open.add(socket);
        Thread t = new Thread(() -> serve(socket), "hostile-conn-" + socket.getPort());
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      Request request = readRequest(socket.getInputStream());
      requests.add(request);
      script.answer(socket, request);
    } catch (IOException clientWentAway) {
      if (!server.isClosed()) {
        clientHangups.incrementAndGet();
      }
    } finally {
      open.remove(socket);
    }
  }

  /** Reads one request: its header block, then as many body bytes as its Content-Length says. */
  static Request readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("client closed before the request ended");
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
          : b == '\r' ? 1 : 0;
    }
    String headText = head.toString(StandardCharsets.ISO_8859_1);
    Request partial = new Request(headText, new byte[0]);
    String length = partial.header("Content-Length");
    byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
    return new Request(headText, body);
  }

  // ---- scripts ----

  /** Writes {@code bytes} as they are and closes. */
  public static Script raw(byte[] bytes) {
    return (socket, request) -> {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    };
  }

  public static Script raw(String text) {
    return raw(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A well-formed HTTP/1.1 200 response with {@code body} as text/xml. */
  public static Script xml(String body) {
    return raw(http(200, "text/xml", body.getBytes(StandardCharsets.UTF_8)));
  }

  /** An XML-RPC success response whose single param is the given {@code <value>} content. */
  public static Script value(String valueXml) {
    return xml("<?xml version=\"1.0\"?><methodResponse><params><param><value>" + valueXml
        + "</value></param></params></methodResponse>");
  }

  public static byte[] http(int status, String contentType, byte[] body) {
    String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Nope") + "\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /** Reads the request, then never answers; returns when the client goes away. */
  public static Script silent() {
    return (socket, request) -> {
      if (socket.getInputStream().read() < 0) {
        throw new IOException("client closed");
      }
    };
  }

  /** A 200 with no length that streams the start of a string value forever, 64 KiB at a time. */
  public static Script endless() {
    return (socket, request) -> {
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n<?xml version=\"1.0\"?><methodResponse><params>"
          + "<param><value><string>").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      while (true) {
        out.write(chunk);
      }
    };
  }

  /** A valid response of about {@code bytes} bytes, announced with its Content-Length. */
  public static Script huge(int bytes) {
    String start = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>";
    String end = "</string></value></param></params></methodResponse>";
    return xml(start + "y".repeat(bytes) + end);
  }

  /**
   * Sends the headers and then one byte of a never-ending value every {@code gap}, the way a stuck or malicious
   * server keeps a connection alive without ever finishing. The pause paces the server; tests never wait on it.
   */
  public static Script trickle(Duration gap) {
    return (socket, request) -> {
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000000\r\n\r\n"
          + "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      while (true) {
        LockSupport.parkNanos(gap.toNanos());
        out.write('z');
        out.flush();
      }
    };
  }

  /** Sends a status line, then one byte of a never-ending header every {@code gap}; the body never starts. */
  public static Script trickleHeaders(Duration gap) {
    return (socket, request) -> {
      OutputStream out = socket.getOutputStream();
      out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      while (true) {
        LockSupport.parkNanos(gap.toNanos());
        out.write('h');
        out.flush();
      }
    };
  }

  /** Resets the connection (RST) right after reading the request. */
  public static Script reset() {
    return (socket, request) -> socket.setSoLinger(true, 0);
  }

  /** An SSH server's greeting instead of HTTP. */
  public static Script sshBanner() {
    return raw("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
  }
}
