package dev.sessionhub.hub.client;

import static dev.sessionhub.hub.client.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.hub.client.AgentCallException.Kind;

import io.vertx.core.Vertx;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connections to an HTTP/1.1 agent are kept for the next call after a complete answer; an agent that closes
 * after answering (HTTP/1.0, {@code Connection: close}) or drops an idle kept connection costs a new connection,
 * never a failed call.
 */
class KeepAliveTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void callsToAKeepAliveAgentShareOneConnection() throws Exception {
    try (KeepAliveServer server = new KeepAliveServer(Integer.MAX_VALUE);
        ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      for (int i = 0; i < 5; i++) {
        assertEquals("pong", client.call(server.url(), "ping", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS));
      }
      assertEquals(1, server.connections.get(), "five calls over one kept connection");
      assertEquals(5, server.requests.get());
    }
  }

  @Test
  void anAgentThatDropsItsKeptConnectionsStillAnswersEveryPoll() throws Exception {
    // This agent closes after each answer without saying so (no "Connection: close"). The check before reuse
    // sees the close when it has arrived; when the next call is quicker than the close, the request meets a
    // closed connection, and only server_data is sent again (a command would end unreachable, never run twice:
    // aCommandIsNeverSentAgainWhenItsKeptConnectionClosesBeforeAnswering).
    try (KeepAliveServer server = new KeepAliveServer(1);
        ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      for (int i = 0; i < 5; i++) {
        assertEquals("pong", client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS), "call " + i);
      }
      assertEquals(5, server.requests.get(), "each call reached the agent exactly once");
    }
  }

  @Test
  void aCommandIsNeverSentAgainWhenItsKeptConnectionClosesBeforeAnswering() throws Exception {
    try (KeepAliveServer server = new KeepAliveServer(1, true);
        ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      assertEquals("pong", client.call(server.url(), "command", List.of("print(1)"), Duration.ofSeconds(5))
          .await(10, TimeUnit.SECONDS));
      AgentCallException e = failure(client.call(server.url(), "command", List.of("print(2)"), Duration.ofSeconds(5)));
      assertEquals(Kind.UNREACHABLE, e.kind(), e.toString());
      assertEquals(2, server.requests.get(), "the second command reached the agent once and was not sent again");
      assertEquals(1, server.connections.get(), "no second connection was opened to re-send it");
    }
  }

  @Test
  void serverDataIsAskedAgainOnANewConnectionWhenItsKeptConnectionClosesBeforeAnswering() throws Exception {
    try (KeepAliveServer server = new KeepAliveServer(1, true);
        ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      for (int i = 0; i < 3; i++) {
        assertEquals("pong", client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS), "call " + i);
      }
      assertEquals(3, server.connections.get());
    }
  }

  @Test
  void aChunkedAnswerIsReadAndItsConnectionIsNotKept() throws Exception {
    String xml = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>chunked pong</string>"
        + "</value></param></params></methodResponse>";
    String chunks = Integer.toHexString(10) + ";ext=1\r\n" + xml.substring(0, 10) + "\r\n"
        + Integer.toHexString(xml.length() - 10) + "\r\n" + xml.substring(10) + "\r\n0\r\nX-Trailer: t\r\n\r\n";
    try (HostileServer server = HostileServer.start(HostileServer.raw("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + chunks));
        ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      for (int i = 0; i < 2; i++) {
        assertEquals("chunked pong", client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS));
      }
      assertEquals(2, server.connections());
    }
  }

  @Test
  void anHttp10AnswerWithoutALengthIsReadToTheClose() throws Exception {
    String xml = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>old pong</string>"
        + "</value></param></params></methodResponse>";
    try (HostileServer server = HostileServer.start(HostileServer.raw("HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n"
        + "\r\n" + xml));
        ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      assertEquals("old pong", client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(5))
          .await(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aContentLengthBeyondTheCapIsRefusedBeforeReadingTheBody() throws Exception {
    try (HostileServer server = HostileServer.start(HostileServer.trickle(Duration.ofSeconds(1)));
        ApacheAgentClient client = new ApacheAgentClient(vertx,
            new AgentClientOptions().setPoolSize(1).setMaxResponseBytes(1000))) {
      long start = System.nanoTime();
      AgentCallException e = failure(client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(20)));
      assertEquals(Kind.PROTOCOL, e.kind());
      assertEquals("response exceeds 1000 bytes", e.getMessage());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 10_000, "refused without reading on");
    }
  }

  /**
   * Answers XML-RPC "pong" over HTTP/1.1 keep-alive; drops each connection after {@code perConnection} answers
   * (with {@code readOneMore}, after reading one more request it never answers).
   */
  private static final class KeepAliveServer implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    KeepAliveServer(int perConnection) throws IOException {
      this(perConnection, false);
    }

    KeepAliveServer(int perConnection, boolean readOneMore) throws IOException {
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            connections.incrementAndGet();
            Thread t = new Thread(() -> serve(s, perConnection, readOneMore));
            t.setDaemon(true);
            t.start();
          } catch (IOException closed) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/RPC2";
    }

    private void serve(Socket s, int perConnection, boolean readOneMore) {
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        for (int served = 0; served < perConnection; served++) {
          int length = readHead(in);
          if (length < 0) {
            return;
          }
          in.readNBytes(length);
          requests.incrementAndGet();
          byte[] body = ("<?xml version=\"1.0\"?><methodResponse><params><param><value><string>pong</string>"
              + "</value></param></params></methodResponse>").getBytes(StandardCharsets.UTF_8);
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          out.write(body);
          out.flush();
        }
        if (readOneMore) {
          int length = readHead(in);
          if (length >= 0) {
            in.readNBytes(length);
            requests.incrementAndGet();
          }
        }
      } catch (IOException gone) {
        // the client closed
      }
    }

    /** Reads a request head; returns its Content-Length, or -1 when the client closed. */
    private static int readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return -1;
        }
        head.write(b);
        matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
            ? matched + 1 : b == '\r' ? 1 : 0;
      }
      for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          return Integer.parseInt(line.substring(15).trim());
        }
      }
      return 0;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
