package dev.sessionhub.hub.impl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Readiness on a real hub: 503 until its first discovery cycle ends (held open here by a listener that accepts
 * and never answers, so the cycle's {@code server_data()} waits out its poll timeout), 200 after; liveness at
 * once; neither needs the token. {@code /metrics} needs the token when one is set (401), unless metrics are open;
 * the same on agents.
 */
class HealthAndMetricsAccessTest {

  private static final String TOKEN = "health-test-token-0123456789";

  @Test
  void hubIsReadyOnlyAfterItsFirstDiscoveryCycleAndMetricsNeedTheToken() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!mute.isClosed()) {
          try {
            held.add(mute.accept()); // accepted, never answered: server_data() waits out the poll timeout
          } catch (IOException closed) {
            return;
          }
        }
      }, "mute-listener");
      acceptor.setDaemon(true);
      acceptor.start();
      try (HubCluster hubs = HubCluster.start(1, o -> o.addScanTarget("127.0.0.1:" + mute.getLocalPort())
          .setPollTimeout(Duration.ofSeconds(4)).setToken(TOKEN))) {
        String hub = hubs.node(0).url();
        Scrapes.Reply notYet = Scrapes.get(hub, "/health/ready", null);
        assertEquals(503, notYet.status(), notYet.body());
        assertTrue(notYet.body().contains("first discovery cycle not finished"), notYet.body());
        assertEquals(200, Scrapes.get(hub, "/health/live", null).status());
        Poll.until(Duration.ofSeconds(30), "ready after the first cycle",
            () -> Scrapes.get(hub, "/health/ready", null).status() == 200);
        assertTrue(held.size() >= 1, "the cycle did reach the mute listener");

        Scrapes.Reply refused = Scrapes.get(hub, "/metrics", null);
        assertEquals(401, refused.status(), refused.body());
        assertEquals(401, Scrapes.get(hub, "/metrics", "wrong-token-0123456789").status());
        Scrapes.Reply scraped = Scrapes.get(hub, "/metrics", TOKEN);
        assertEquals(200, scraped.status());
        assertTrue(scraped.contentType().startsWith("text/plain; version=0.0.4"), scraped.contentType());
        assertTrue(scraped.body().contains("sessionhub_discovery_polls_failed_total{kind=\"timeout\"} "),
            "the mute listener's poll failed by timeout: " + scraped.body());
        assertTrue(scraped.body().contains(
            "sessionhub_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"401\"} 2.0"),
            "refused scrapes are counted under their route template");
        assertTrue(scraped.body().contains(
            "sessionhub_http_requests_total{method=\"GET\",route=\"/health/ready\",status=\"503\"} "),
            "the not-ready answers are counted: " + scraped.body());
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void openMetricsServesMetricsWithoutTheTokenButNothingElse() throws Exception {
    try (HubCluster hubs = HubCluster.start(1, o -> o.setToken(TOKEN).setOpenMetrics(true))) {
      String hub = hubs.node(0).url();
      Scrapes.Reply scraped = Scrapes.get(hub, "/metrics", null);
      assertEquals(200, scraped.status());
      assertTrue(scraped.body().contains("sessionhub_inventory_live_sessions 0.0"), "the total is there at 0");
      assertEquals(401, Scrapes.get(hub, "/api/sessions", null).status(), "open metrics open nothing else");
      Poll.until(Duration.ofSeconds(30), "ready", () -> Scrapes.get(hub, "/health/ready", null).status() == 200);
    }
  }

  @Test
  void agentsAnswerHealthWithoutTheTokenAndMetricsOnlyWithItUnlessOpen() throws Exception {
    int base = FreePorts.range(4);
    try (Agents agents = new Agents()) {
      Agent closed = agents.start(new AgentOptions().setBindAddress("127.0.0.1").setBasePort(base)
          .setMaxPort(base + 3).setToken(TOKEN));
      Agent open = agents.start(new AgentOptions().setBindAddress("127.0.0.1").setBasePort(base)
          .setMaxPort(base + 3).setToken(TOKEN).setOpenMetrics(true));
      assertEquals(200, Scrapes.get(closed.url(), "/health/live", null).status());
      Scrapes.Reply ready = Scrapes.get(closed.url(), "/health/ready", null);
      assertEquals(200, ready.status(), ready.body());
      assertEquals(401, Scrapes.get(closed.url(), "/metrics", null).status());
      assertEquals(401, Scrapes.get(closed.url(), "/metrics", "wrong-token-0123456789").status());
      Scrapes.Reply scraped = Scrapes.get(closed.url(), "/metrics", TOKEN);
      assertEquals(200, scraped.status());
      assertTrue(scraped.body().contains("sessionhub_agent_refused_requests_total 2.0"), scraped.body());
      assertEquals(200, Scrapes.get(open.url(), "/metrics", null).status());
      assertEquals(401, Scrapes.get(open.url(), "/status", null).status(), "open metrics open nothing else");
      assertEquals(404, Scrapes.get(open.url(), "/health/other", null).status());
    }
  }
}
