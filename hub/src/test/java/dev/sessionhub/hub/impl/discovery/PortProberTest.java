package dev.sessionhub.hub.impl.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Probes over real loopback sockets: open, refused, many at once, host names, and closing. */
class PortProberTest {

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
  void openRefusedAndNamedPorts() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        PortProber prober = new PortProber(vertx, Duration.ofMillis(500))) {
      assertTrue(prober.isOpen("127.0.0.1", listening.getLocalPort()).await(5, TimeUnit.SECONDS));
      assertFalse(prober.isOpen("127.0.0.1", FreePorts.one()).await(5, TimeUnit.SECONDS));
      assertTrue(prober.isOpen("localhost", listening.getLocalPort()).await(5, TimeUnit.SECONDS),
          "a host name goes through the resolver");
      assertFalse(prober.isOpen("no-such-host.invalid", 80).await(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aProbeTellsOpenFromRefusedFromSilent() throws Exception {
    // a listener with a full accept backlog makes the kernel drop further SYNs: a connect that times out, as to a
    // dead host
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        PortProber prober = new PortProber(vertx, Duration.ofMillis(300))) {
      for (int i = 0; i < 8; i++) {
        Socket filler = new Socket();
        fillers.add(filler);
        try {
          filler.connect(full.getLocalSocketAddress(), 100);
        } catch (java.net.SocketTimeoutException backlogFull) {
          break;
        }
      }
      assertEquals(PortState.OPEN, prober.probe("127.0.0.1", listening.getLocalPort()).await(5, TimeUnit.SECONDS));
      assertEquals(PortState.CLOSED, prober.probe("127.0.0.1", FreePorts.one()).await(5, TimeUnit.SECONDS));
      assertEquals(PortState.CLOSED, prober.probe("localhost", FreePorts.one()).await(5, TimeUnit.SECONDS),
          "a refusal through the resolver's path too");
      assertEquals(PortState.SILENT, prober.probe("127.0.0.1", full.getLocalPort()).await(5, TimeUnit.SECONDS));
      assertEquals(PortState.SILENT, prober.probe("no-such-host.invalid", 80).await(5, TimeUnit.SECONDS));
    } finally {
      for (Socket filler : fillers) {
        filler.close();
      }
    }
  }

  @Test
  void manyProbesAtOnceEachGetTheirOwnAnswer() throws Exception {
    int base = FreePorts.range(400);
    List<ServerSocket> open = new ArrayList<>();
    try (PortProber prober = new PortProber(vertx, Duration.ofMillis(500))) {
      for (int port = base; port < base + 400; port += 8) {
        open.add(new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1")));
      }
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int port = base; port < base + 400; port++) {
        answers.add(prober.isOpen("127.0.0.1", port));
      }
      Future.join(new ArrayList<>(answers)).await(10, TimeUnit.SECONDS);
      for (int i = 0; i < answers.size(); i++) {
        assertEquals(i % 8 == 0, answers.get(i).result(), "port " + (base + i));
      }
    } finally {
      for (ServerSocket s : open) {
        s.close();
      }
    }
  }

  @Test
  void aClosedProberAnswersClosed() throws Exception {
    try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress())) {
      PortProber prober = new PortProber(vertx, Duration.ofMillis(2000));
      assertTrue(prober.isOpen("127.0.0.1", listening.getLocalPort()).await(5, TimeUnit.SECONDS),
          "an open prober sees the listening port");
      prober.close();
      assertFalse(prober.isOpen("127.0.0.1", listening.getLocalPort()).await(5, TimeUnit.SECONDS),
          "a closed prober answers closed, even for a port that listens");
    }
  }
}
