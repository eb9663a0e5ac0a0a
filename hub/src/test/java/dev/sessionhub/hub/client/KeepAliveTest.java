package dev.sessionhub.hub.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  void anAgentThatDropsItsKeptConnectionsStillAnswersEveryCall() throws Exception {
    try (KeepAliveServer server = new KeepAliveServer(1);
        ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      for (int i = 0; i < 5; i++) {
        assertEquals("pong", client.call(server.url(), "ping", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS), "call " + i);
      }
      assertEquals(5, server.requests.get(), "each call reached the agent exactly once");
    }
  }

  /** Answers XML-RPC "pong" over HTTP/1.1 keep-alive; drops each connection after {@code perConnection} answers. */
  private static final class KeepAliveServer implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    KeepAliveServer(int perConnection) throws IOException {
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            connections.incrementAndGet();
            Thread t = new Thread(() -> serve(s, perConnection));
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

    private void serve(Socket s, int perConnection) {
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
