package dev.sessionhub.hub.impl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scrapes a real hub and two real agents (token as Bearer credential, every second) while the
 * hub discovers the agents and runs jobs whose targets end ok, error and timeout; what Prometheus stored is then
 * read back through its HTTP API. The /metrics text of hub and agent passes {@code promtool check metrics}.
 */
class PrometheusScrapeTest {

  private static final String TOKEN = "metrics-test-token-0123456789";
  private static final String CODE = "r = globals().get('role')\n"
      + "if r == 'b' and globals().get('step') == 1:\n    raise ValueError('boom')\n"
      + "if r == 'a' and globals().get('step') == 2:\n    import time\n    time.sleep(30)\n"
      + "print('ok from', r)\n";

  @Test
  void prometheusStoresSessionsTargetsByStateAndCommandHistograms() throws Exception {
    int base = FreePorts.range(10);
    try (Agents agents = new Agents()) {
      Agent a = agents.start(new AgentOptions().setBindAddress("127.0.0.1").setBasePort(base).setMaxPort(base + 9)
          .setToken(TOKEN));
      Agent b = agents.start(new AgentOptions().setBindAddress("127.0.0.1").setBasePort(base).setMaxPort(base + 9)
          .setToken(TOKEN));
      try (HubCluster hubs = HubCluster.start(1, o -> o.addScanTarget("127.0.0.1:" + base + "-" + (base + 9))
          .setScanInterval(Duration.ofSeconds(1)).setToken(TOKEN))) {
        String hub = hubs.node(0).url();
        Poll.until(Duration.ofSeconds(30), "both sessions found",
            () -> count(hub) == 2);
        Map<String, List<String>> jobs = new LinkedHashMap<>();
        jobs.put("hub", List.of(hostPort(hub)));
        jobs.put("agents", List.of(hostPort(a.url()), hostPort(b.url())));
        try (PrometheusServer prometheus = PrometheusServer.start(jobs, TOKEN)) {
          route(hub, a, "role = 'a'\nstep = 1");
          route(hub, b, "role = 'b'\nstep = 1");
          JsonObject first = broadcast(hub, CODE, 10);
          assertEquals(1, first.getJsonObject("counts").getInteger("ok"), first.encode());
          assertEquals(1, first.getJsonObject("counts").getInteger("error"), first.encode());
          route(hub, a, "step = 2");
          route(hub, b, "step = 2");
          JsonObject second = broadcast(hub, CODE, 2);
          assertEquals(1, second.getJsonObject("counts").getInteger("ok"), second.encode());
          assertEquals(1, second.getJsonObject("counts").getInteger("timeout"), second.encode());
          // routes: 4 ok; first broadcast: ok + error; second: ok + timeout
          Map<String, Double> expected = new LinkedHashMap<>();
          expected.put("sum(up)", 3.0);
          expected.put("sum(sessionhub_sessions)", 2.0);
          expected.put("sessionhub_inventory_live_sessions", 2.0);
          expected.put("sessionhub_job_targets_total{state=\"ok\"}", 6.0);
          expected.put("sessionhub_job_targets_total{state=\"error\"}", 1.0);
          expected.put("sessionhub_job_targets_total{state=\"timeout\"}", 1.0);
          expected.put("sessionhub_job_targets_total{state=\"unreachable\"}", 0.0);
          expected.put("sessionhub_jobs_total{outcome=\"ok\"}", 4.0);
          expected.put("sessionhub_jobs_total{outcome=\"error\"}", 1.0);
          expected.put("sessionhub_jobs_total{outcome=\"timeout\"}", 1.0);
          expected.put("sum(sessionhub_command_duration_seconds_count)", 8.0);
          expected.put("sessionhub_command_duration_seconds_count{state=\"timeout\"}", 1.0);
          expected.put("sum(sessionhub_agent_rpc_calls_total{method=\"command\"})", 8.0);
          expected.put("sum(sessionhub_agent_commands_total{outcome=\"ok\"})", 6.0);
          expected.put("sum(sessionhub_agent_commands_total{outcome=\"error\"})", 1.0);
          expected.put("sum(sessionhub_agent_commands_total{outcome=\"timeout\"})", 1.0);
          expected.put("sum(sessionhub_agent_command_duration_seconds_count)", 8.0);
          expected.put("sessionhub_hazelcast_members", 1.0);
          expected.put("sessionhub_hazelcast_cluster_safe", 1.0);
          expected.put("sessionhub_http_requests_total{route=\"/api/broadcast\",method=\"POST\",status=\"200\"}",
              2.0);
          Map<String, Double> seen = new LinkedHashMap<>();
          try {
            Poll.until(Duration.ofSeconds(30), "Prometheus stored the expected values", () -> {
              expected.keySet().forEach(q -> seen.put(q, prometheus.value(q)));
              return seen.equals(expected);
            });
          } catch (AssertionError e) {
            throw new AssertionError("stored " + seen + "\nexpected " + expected + "\n" + prometheus.log(), e);
          }
          assertTrue(prometheus.value("sum(sessionhub_discovery_probes_total{outcome=\"open\"})") >= 2);
          assertTrue(prometheus.value("sessionhub_discovery_cycle_duration_seconds_count") >= 1);
          assertTrue(prometheus.value("sum(sessionhub_command_duration_seconds_bucket{le=\"+Inf\"})") == 8.0);
        }
        String hubText = Scrapes.get(hub, "/metrics", TOKEN).body();
        assertEquals("0", Scrapes.promtool(hubText).split(" ")[0], Scrapes.promtool(hubText));
        String agentText = Scrapes.get(a.url(), "/metrics", TOKEN).body();
        assertEquals("0", Scrapes.promtool(agentText).split(" ")[0], Scrapes.promtool(agentText));
        assertFalse(hubText.contains(hostPort(a.url())), "no session address is a label");
        assertFalse(hubText.contains("127.0.0.1:"), "no address at all is a label");
      }
    }
  }

  private static int count(String hub) {
    return Scrapes.get(hub, "/api/sessions", TOKEN).status() == 200
        ? new JsonObject(Scrapes.get(hub, "/api/sessions", TOKEN).body()).getJsonArray("sessions").size() : -1;
  }

  private static String hostPort(String url) {
    URI u = URI.create(url);
    return u.getHost() + ":" + u.getPort();
  }

  private static void route(String hub, Agent agent, String code) throws Exception {
    JsonObject job = post(hub, "/api/sessions/" + hostPort(agent.url()) + "/command",
        new JsonObject().put("code", code));
    assertEquals("ok", job.getJsonArray("results").getJsonObject(0).getString("state"), job.encode());
  }

  private static JsonObject broadcast(String hub, String code, int timeoutSeconds) throws Exception {
    return post(hub, "/api/broadcast", new JsonObject().put("selector", "").put("code", code)
        .put("timeout", timeoutSeconds));
  }

  private static JsonObject post(String hub, String path, JsonObject body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub + path))
        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }
}
