package dev.sessionhub.hub.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.Poll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool of kept agent connections, over real loopback sockets: caps, expiry, and the liveness check. */
class IdleConnectionsTest {

  private ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          accepted.add(server.accept());
        } catch (IOException closed) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void close() throws IOException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
  }

  private Endpoint endpoint() {
    return new Endpoint(false, "127.0.0.1", server.getLocalPort());
  }

  private AgentConnection open() throws IOException {
    return AgentConnection.open(endpoint(), 1000, 1000, null, new ConnectionAbort());
  }

  @Test
  void aKeptConnectionIsHandedOutAgainAndOnlyOnce() throws IOException {
    try (IdleConnections idle = new IdleConnections(8, 100, 60_000)) {
      AgentConnection c = open();
      idle.release(c);
      assertEquals(1, idle.size());
      assertSame(c, idle.take(endpoint()));
      assertNull(idle.take(endpoint()), "handed out once");
      assertTrue(c.reused());
      c.close();
    }
  }

  @Test
  void aConnectionTheAgentClosedIsDroppedNotHandedOut() throws Exception {
    try (IdleConnections idle = new IdleConnections(8, 100, 60_000)) {
      AgentConnection c = open();
      Poll.until(Duration.ofSeconds(5), "accepted", () -> accepted.size() == 1);
      idle.release(c);
      accepted.get(0).close();
      Poll.until(Duration.ofSeconds(5), "the close is seen without blocking", () -> !c.isReusable());
      assertNull(idle.take(endpoint()));
      assertEquals(0, idle.size());
    }
  }

  @Test
  void strayBytesFromTheAgentMakeAConnectionUnusable() throws Exception {
    try (IdleConnections idle = new IdleConnections(8, 100, 60_000)) {
      AgentConnection c = open();
      Poll.until(Duration.ofSeconds(5), "accepted", () -> accepted.size() == 1);
      idle.release(c);
      accepted.get(0).getOutputStream().write("HTTP/1.1 200 OK\r\n".getBytes());
      accepted.get(0).getOutputStream().flush();
      Poll.until(Duration.ofSeconds(5), "stray bytes are seen", () -> !c.isReusable());
      assertNull(idle.take(endpoint()));
    }
  }

  @Test
  void capsPerAgentAndInAllCloseWhatDoesNotFit() throws Exception {
    try (IdleConnections idle = new IdleConnections(2, 3, 60_000)) {
      List<AgentConnection> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add(open());
      }
      all.forEach(idle::release);
      assertEquals(2, idle.size(), "at most 2 per agent");
      Poll.until(Duration.ofSeconds(5), "the two that did not fit are closed",
          () -> all.stream().filter(c -> !c.channel().isOpen()).count() == 2);
    }
  }

  @Test
  void anExpiredConnectionIsClosedInsteadOfHandedOut() throws Exception {
    try (IdleConnections idle = new IdleConnections(8, 100, 1)) {
      AgentConnection c = open();
      idle.release(c);
      // a 1 ms keep-alive: a take within it hands the connection back (and the test returns it to the pool)
      Poll.until(Duration.ofSeconds(5), "the kept connection expires", () -> {
        AgentConnection got = idle.take(endpoint());
        if (got != null) {
          idle.release(got);
        }
        return got == null;
      });
      Poll.until(Duration.ofSeconds(5), "closed", () -> !c.channel().isOpen());
    }
  }

  @Test
  void closingThePoolClosesWhatItHeldAndKeepsNothingAfter() throws Exception {
    IdleConnections idle = new IdleConnections(8, 100, 60_000);
    AgentConnection held = open();
    idle.release(held);
    idle.close();
    assertTrue(!held.channel().isOpen());
    AgentConnection late = open();
    idle.release(late);
    assertEquals(0, idle.size());
    assertTrue(!late.channel().isOpen(), "a connection released after close is closed");
    assertNotNull(late);
  }
}
