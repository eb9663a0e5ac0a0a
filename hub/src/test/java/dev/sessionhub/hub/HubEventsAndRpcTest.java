package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.TestHost;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What clients of the hub see: the SSE stream reports a session up, changed, restarted and down; python3's
 * stock {@code xmlrpc.client} reads the inventory through {@code hub.sessions} and {@code hub.session}.
 */
class HubEventsAndRpcTest {

  private static HubCluster cluster;
  private static Vertx vertx;
  private static TestHost host;
  private static int base;
  private static final List<HttpClient> SUBSCRIBERS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    base = FreePorts.range(3);
    cluster = HubCluster.start(1, o -> o.addScanTarget("127.0.0.1:" + base + "-" + (base + 2))
        .setScanInterval(Duration.ofMillis(300)).setLease(Duration.ofSeconds(3)));
    vertx = Vertx.vertx();
    host = new TestHost("events");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    host.close();
    cluster.close();
  }

  private static List<JsonObject> subscribe(String hubUrl) throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    HttpClient client = vertx.createHttpClient();
    // kept until the class ends: Vert.x closes an HttpClient nothing references (it is Cleanable), mid-stream
    SUBSCRIBERS.add(client);
    int port = Integer.parseInt(hubUrl.substring(hubUrl.lastIndexOf(':') + 1));
    StringBuilder pending = new StringBuilder();
    client.request(HttpMethod.GET, port, "127.0.0.1", "/api/events")
        .compose(req -> req.send())
        .onSuccess(resp -> resp.handler(chunk -> {
          pending.append(chunk.toString(StandardCharsets.UTF_8));
          int end;
          while ((end = pending.indexOf("\n\n")) >= 0) {
            String block = pending.substring(0, end);
            pending.delete(0, end + 2);
            for (String line : block.split("\n")) {
              if (line.startsWith("data: ")) {
                events.add(new JsonObject(line.substring(6)));
              }
            }
          }
        })).await(10, TimeUnit.SECONDS);
    return events;
  }

  private static boolean has(List<JsonObject> events, String type, String sessionId) {
    return events.stream().anyMatch(e -> e.getString("type").equals(type)
        && e.getJsonObject("session").getString("session_id").equals(sessionId));
  }

  @Test
  void theEventStreamReportsUpChangedRestartedAndDown() throws Exception {
    String hub = cluster.node(0).url();
    List<JsonObject> events = subscribe(hub);
    AgentOptions options = new AgentOptions().setBasePort(base).setMaxPort(base);
    Agent first = Agent.start(vertx, options, host).await(30, TimeUnit.SECONDS);
    Poll.until(Duration.ofSeconds(10), "up event", () -> has(events, "up", first.sessionId()));

    host.publish(List.of("Cube", "Camera", "Tree"));
    Poll.until(Duration.ofSeconds(10), "changed event with the new object", () -> events.stream().anyMatch(e ->
        e.getString("type").equals("changed")
            && e.getJsonObject("session").getJsonArray("scene_objects").contains("Tree")));

    first.close().await(10, TimeUnit.SECONDS);
    Agent second = Agent.start(vertx, options, host).await(30, TimeUnit.SECONDS);
    assertEquals(first.port(), second.port(), "the restarted session takes the same port");
    Poll.until(Duration.ofSeconds(10), "the restart reads as the old session down and a new one up",
        () -> has(events, "down", first.sessionId()) && has(events, "up", second.sessionId()));

    second.close().await(10, TimeUnit.SECONDS);
    Poll.until(Duration.ofSeconds(10), "down when the lease expires", () -> has(events, "down", second.sessionId()));
    JsonObject down = events.stream().filter(e -> e.getString("type").equals("down")
        && e.getJsonObject("session").getString("session_id").equals(second.sessionId())).findFirst().orElseThrow();
    assertEquals("lease expired", down.getString("reason"));
  }

  @Test
  void python3ReadsTheInventoryThroughXmlRpc() throws Exception {
    String hub = cluster.node(0).url();
    Agent agent = Agent.start(vertx, new AgentOptions().setBasePort(base + 1).setMaxPort(base + 2).setName("py"),
        host).await(30, TimeUnit.SECONDS);
    try {
      Poll.until(Duration.ofSeconds(10), "found", () -> {
        try {
          return dev.sessionhub.hub.testing.HubApi.count(hub, "name=py") == 1;
        } catch (RuntimeException e) {
          return false;
        }
      });
      String script = "import xmlrpc.client, json, sys\n"
          + "hub = xmlrpc.client.ServerProxy(sys.argv[1] + '/RPC2', allow_none=True)\n"
          + "found = hub.hub.sessions('name=py')\n"
          + "one = hub.hub.session(found[0]['address'])\n"
          + "try:\n    hub.hub.session('nowhere:1')\n    missing = None\n"
          + "except xmlrpc.client.Fault as f:\n    missing = [f.faultCode, f.faultString]\n"
          + "try:\n    hub.hub.sessions('colour=red')\n    bad = None\n"
          + "except xmlrpc.client.Fault as f:\n    bad = [f.faultCode, f.faultString]\n"
          + "print(json.dumps({'n': len(found), 'id': one['session_id'], 'missing': missing, 'bad': bad}))\n";
      Process p = new ProcessBuilder("python3", "-c", script, hub).redirectErrorStream(true).start();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(0, p.exitValue(), out);
      JsonObject result = new JsonObject(out.substring(out.lastIndexOf('{')));
      assertEquals(1, result.getInteger("n"));
      assertEquals(agent.sessionId(), result.getString("id"));
      assertEquals(-32004, result.getJsonArray("missing").getInteger(0));
      assertEquals("no session at nowhere:1", result.getJsonArray("missing").getString(1));
      assertEquals(-32602, result.getJsonArray("bad").getInteger(0));
      assertTrue(result.getJsonArray("bad").getString(1).startsWith("unknown field 'colour'"));
    } finally {
      agent.close().await(10, TimeUnit.SECONDS);
    }
  }
}
