package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.impl.client.Canary;
import dev.sessionhub.hub.impl.client.HostileServer;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken listeners in the scanned range cannot hurt the hub: a fault carrying a serialised Java
 * object, a DOCTYPE naming an external DTD, an endless and a huge response, a listener that never answers,
 * plain HTTP and a non-HTTP service sit among two real agents. The scan finds exactly the real sessions, never
 * deserialises or fetches anything, and the API keeps answering quickly throughout.
 */
class HostileListenersTest {

  private static final List<HostileServer> hostile = new ArrayList<>();
  private static ServerSocket bait;
  private static Agents agents;
  private static HubCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    Canary.deserialized = false;
    bait = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    String dtd = "<?xml version=\"1.0\"?><!DOCTYPE methodResponse SYSTEM \"http://127.0.0.1:" + bait.getLocalPort()
        + "/evil.dtd\"><methodResponse><params><param><value><struct><member><name>exe</name><value>x</value>"
        + "</member></struct></value></param></params></methodResponse>";
    hostile.add(HostileServer.start(HostileServer.xml(Canary.faultWithCause())));
    hostile.add(HostileServer.start(HostileServer.xml(dtd)));
    hostile.add(HostileServer.start(HostileServer.endless()));
    hostile.add(HostileServer.start(HostileServer.huge(10 << 20)));
    hostile.add(HostileServer.start(HostileServer.silent()));
    hostile.add(HostileServer.start(HostileServer.raw(new String(HostileServer.http(200, "text/html",
        "<html><body>intranet</body></html>".getBytes()), java.nio.charset.StandardCharsets.ISO_8859_1))));
    hostile.add(HostileServer.start(HostileServer.sshBanner()));
    agents = new Agents();
    int base = FreePorts.range(4);
    agents.start(new AgentOptions().setBasePort(base).setMaxPort(base + 3));
    agents.start(new AgentOptions().setBasePort(base).setMaxPort(base + 3));
    StringJoiner ports = new StringJoiner(",");
    hostile.forEach(h -> ports.add(String.valueOf(h.port())));
    agents.all().forEach(a -> ports.add(String.valueOf(a.port())));
    cluster = HubCluster.start(1, o -> o.addScanTarget("127.0.0.1:" + ports).setScanInterval(Duration.ofMillis(500))
        .setLease(Duration.ofSeconds(20)).setPollTimeout(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    agents.close();
    for (HostileServer h : hostile) {
      h.close();
    }
    bait.close();
  }

  @Test
  void theScanFindsExactlyTheRealSessionsAndTheApiKeepsAnswering() {
    String hub = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "both real agents found", () -> HubApi.count(hub, "") == 2);
    // Let a few more cycles run through the hostile listeners, checking the API answers fast meanwhile.
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < until) {
      long start = System.nanoTime();
      JsonObject listing = HubApi.sessions(hub, "");
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(2, listing.getInteger("count"), "only the real agents are sessions: " + listing);
      assertTrue(tookMs < 1000, "the API answered in " + tookMs + " ms while hostile listeners were scanned");
      Poll.until(Duration.ofMillis(200), "a moment passes", () -> System.nanoTime() - start > 100_000_000L);
    }
    assertEquals(2, HubApi.count(hub, "app=testapp"));
    assertFalse(Canary.deserialized, "a fault's faultCause was never deserialised");
    assertTrue(hostile.stream().allMatch(h -> h.connections() >= 1), "every hostile listener was scanned");
    JsonObject cluster = HubApi.get(hub, "/api/cluster").json();
    assertTrue(cluster.getJsonArray("members").getJsonObject(0).getLong("last_scan_ms") < 10_000,
        "scan cycles stay bounded despite stalling listeners: " + cluster);
  }

  @Test
  void theExternalDtdIsNeverFetched() throws Exception {
    String hub = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "both real agents found", () -> HubApi.count(hub, "") == 2);
    bait.setSoTimeout(500);
    boolean fetched;
    try (var ignored = bait.accept()) {
      fetched = true;
    } catch (java.net.SocketTimeoutException e) {
      fetched = false;
    }
    assertFalse(fetched, "the hub must never fetch a DTD named by a response");
  }
}
