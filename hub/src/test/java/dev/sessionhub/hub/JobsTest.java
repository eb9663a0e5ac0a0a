package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs on a two-hub cluster with 21 sessions on four loopback hosts: routed commands, a job's event stream,
 * Python pipelines broadcasting with the stock client, one session driving another through the hub. Each test
 * stands on its own; the one that kills a hub has a cluster of its own ({@link JobOutcomesTest}).
 */
class JobsTest {

  private static HubCluster cluster;
  private static Agents agents;
  private static int base;

  @BeforeAll
  static void start() throws Exception {
    base = FreePorts.range(10);
    agents = new Agents();
    for (int i = 0; i < 21; i++) {
      agents.start(new AgentOptions().setBindAddress("127.0.0." + (1 + i % 4)).setBasePort(base)
          .setMaxPort(base + 9).addTag("group", i < 3 ? "py" : "farm"));
    }
    cluster = HubCluster.start(2, o -> o.addScanTarget("127.0.0.1-4:" + base + "-" + (base + 9))
        .setScanInterval(Duration.ofSeconds(1)).setLease(Duration.ofSeconds(30)));
    Poll.until(Duration.ofSeconds(30), "21 sessions found",
        () -> HubApi.count(cluster.node(0).url(), "") == 21);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    agents.close();
  }

  static String address(Agent a) {
    return a.url().replace("http://", "").replace("/", "");
  }

  static JsonObject route(String hub, String address, String code) {
    HubApi.Reply r = HubApi.post(hub, "/api/sessions/" + address + "/command", new JsonObject().put("code", code));
    assertEquals(200, r.status(), r.json().encode());
    return r.json();
  }

  @Test
  void aRoutedCommandReturnsItsOutput() {
    String hub = cluster.node(1).url();
    Agent target = agents.all().get(5);
    JsonObject job = route(hub, address(target), "print(6 * 7)");
    assertEquals("done", job.getString("state"));
    JsonObject result = job.getJsonArray("results").getJsonObject(0);
    assertEquals("ok", result.getString("state"));
    assertEquals("42\n", result.getString("output"));
    HubApi.Reply unknown = HubApi.post(hub, "/api/sessions/127.0.0.9:1/command", new JsonObject().put("code", "1"));
    assertEquals(404, unknown.status());
    assertEquals("unknown_session", unknown.json().getString("error"));

    HubApi.Reply started = HubApi.post(hub, "/api/sessions/" + address(target) + "/command",
        new JsonObject().put("code", "print(6 * 9)").put("wait", false));
    assertEquals(202, started.status(), started.json().encode());
    assertEquals(1, started.json().getInteger("target_count"));
    String jobId = started.json().getString("id");
    Poll.until(Duration.ofSeconds(10), "the routed job is done", () -> "done".equals(
        HubApi.get(hub, "/api/jobs/" + jobId).json().getString("state")));
    assertEquals("54\n", HubApi.get(hub, "/api/jobs/" + jobId).json().getJsonArray("results").getJsonObject(0)
        .getString("output"));
    HubApi.Reply badWait = HubApi.post(hub, "/api/sessions/" + address(target) + "/command",
        new JsonObject().put("code", "1").put("wait", "no"));
    assertEquals(400, badWait.status());
    assertEquals("'wait' must be true or false", badWait.json().getString("message"));
    HubApi.Reply unknownNoWait = HubApi.post(hub, "/api/sessions/127.0.0.9:1/command",
        new JsonObject().put("code", "1").put("wait", false));
    assertEquals(404, unknownNoWait.status());
  }

  @Test
  void jobProgressStreamsOneResultPerTargetThenDone() throws Exception {
    String hub = cluster.node(0).url();
    HubApi.Reply started = HubApi.post(hub, "/api/broadcast", new JsonObject().put("selector", "tag.group=farm")
        .put("code", "import time\ntime.sleep(0.3)\nprint('tick')").put("timeout", 10).put("wait", false));
    assertEquals(202, started.status(), started.json().encode());
    String id = started.json().getString("id");
    int targets = started.json().getInteger("target_count");
    int port = Integer.parseInt(hub.substring(hub.lastIndexOf(':') + 1));
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Vertx client = Vertx.vertx();
    // held in a variable to the end: Vert.x closes an HttpClient nothing references (it is Cleanable)
    io.vertx.core.http.HttpClient http = client.createHttpClient();
    try {
      StringBuilder pending = new StringBuilder();
      http.request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/api/jobs/" + id
          + "/events").compose(req -> req.send()).onSuccess(resp -> resp.handler(chunk -> {
            pending.append(chunk.toString(StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
              String block = pending.substring(0, end);
              pending.delete(0, end + 2);
              if (block.startsWith("event: ")) {
                events.add(block.substring(7, block.indexOf('\n')));
              }
            }
          })).await(10, TimeUnit.SECONDS);
      Poll.until(Duration.ofSeconds(20), "the done event", () -> events.contains("done"));
    } finally {
      http.close().await(10, TimeUnit.SECONDS);
      client.close().await(10, TimeUnit.SECONDS);
    }
    assertEquals(targets, events.stream().filter("result"::equals).count(), "one result event per target: " + events);
    assertEquals("done", events.get(events.size() - 1));
  }

  @Test
  void python3BroadcastsWithTheStockClient() throws Exception {
    String hub = cluster.node(0).url();
    String script = "import xmlrpc.client, json, sys\n"
        + "hub = xmlrpc.client.ServerProxy(sys.argv[1] + '/RPC2', allow_none=True)\n"
        + "job = hub.hub.broadcast('tag.group=py', \"print('hello from python')\", 10)\n"
        + "again = hub.hub.job(job['id'])\n"
        + "out = hub.hub.command(job['results'][0]['address'], 'print(1 + 1)')\n"
        + "try:\n    hub.hub.command(job['results'][0]['address'], '1/0')\n    err = None\n"
        + "except xmlrpc.client.Fault as f:\n    err = [f.faultCode, f.faultString.splitlines()[0]]\n"
        + "print(json.dumps({'counts': job['counts'], 'n': len(job['results']), 'outputs': sorted(set(r['output'] "
        + "for r in job['results'])), 'same': again['counts'] == job['counts'], 'out': out, 'err': err}))\n";
    Process p = new ProcessBuilder("python3", "-c", script, hub).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), out);
    JsonObject result = new JsonObject(out.substring(out.lastIndexOf("\n") + 1));
    assertEquals(3, result.getInteger("n"));
    assertEquals(3, result.getJsonObject("counts").getInteger("ok"));
    assertEquals("[\"hello from python\\n\"]", result.getJsonArray("outputs").encode());
    assertTrue(result.getBoolean("same"));
    assertEquals("2\n", result.getString("out"));
    assertEquals(1, result.getJsonArray("err").getInteger(0));
    assertTrue(result.getJsonArray("err").getString(1).startsWith("ZeroDivisionError"));
  }

  @Test
  void oneSessionDrivesAnotherThroughTheHub() throws Exception {
    String hub = cluster.node(0).url();
    Agent driver = agents.start(new AgentOptions().setBasePort(base).setMaxPort(base + 9).setHubUrl(hub));
    Agent driven = agents.all().get(7);
    String code = "print(repr(hub))\n"
        + "print(len(hub.sessions('tag.group=py')))\n"
        + "print(hub.command('" + address(driven) + "', 'print(40 + 2)').strip())\n";
    Poll.until(Duration.ofSeconds(10), "the driver is known", () -> HubApi.count(hub, "source=announce") == 1);
    JsonObject job = route(hub, address(driver), code);
    JsonObject result = job.getJsonArray("results").getJsonObject(0);
    assertEquals("ok", result.getString("state"), result.encode());
    java.net.URI hubUri = java.net.URI.create(hub);
    assertEquals("<hub http://" + hubUri.getHost() + ":" + hubUri.getPort() + ">\n3\n42\n", result.getString("output"));
  }
}
