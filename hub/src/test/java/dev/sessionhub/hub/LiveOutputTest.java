package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.Wire;
import dev.sessionhub.hub.impl.client.HostileAgent;
import dev.sessionhub.hub.impl.client.HostileServer;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import dev.sessionhub.hub.testing.JobStream;
import dev.sessionhub.hub.testing.JobStream.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live output over real sockets and two real Hazelcast members: what a command prints reaches a job's event
 * stream while it runs (also from sessions another hub owns and follows), job reads show the output so far, and
 * a command printing 50 MB ends with its head and tail and a marker (agents and hubs keep at most that much of
 * any command's output: {@code BoundedOutput}).
 */
class LiveOutputTest {

  private static final String TICKS = "import time\nfor i in range(20):\n    print('tick', i)\n    time.sleep(0.1)\n";

  private static HubCluster cluster;
  private static Agents agents;

  @BeforeAll
  static void start() throws Exception {
    int base = FreePorts.range(3);
    agents = new Agents();
    for (int i = 1; i <= 4; i++) {
      agents.start(new AgentOptions().setBindAddress("127.0.0." + i).setBasePort(base).setMaxPort(base + 2)
          .addTag("group", "live"));
    }
    cluster = HubCluster.start(2, o -> o.addScanTarget("127.0.0.1-4:" + base + "-" + (base + 2))
        .setScanInterval(Duration.ofSeconds(1)).setLease(Duration.ofSeconds(30)));
    Poll.until(Duration.ofSeconds(30), "4 sessions found on both hubs",
        () -> HubApi.count(cluster.node(0).url(), "") == 4 && HubApi.count(cluster.node(1).url(), "") == 4);
    // the first command of a session loads its Python; the timings below are about output, not that
    JsonObject warm = HubApi.post(cluster.node(0).url(), "/api/broadcast", new JsonObject().put("selector", "")
        .put("code", "print(1)").put("timeout", 60)).json();
    assertEquals(4, warm.getJsonObject("counts").getInteger("ok"), warm.encode());
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    agents.close();
  }

  @Test
  void outputReachesTheStreamWhileCommandsRunOnEitherHub() {
    String hub = cluster.node(0).url();
    long started = System.nanoTime();
    JsonObject job = HubApi.post(hub, "/api/broadcast", new JsonObject().put("selector", "tag.group=live")
        .put("code", TICKS).put("timeout", 20).put("wait", false)).json();
    String id = job.getString("id");
    List<Event> events = JobStream.follow(hub, id);

    Poll.until(Duration.ofSeconds(10), "every target's first line in the stream", () -> events.stream()
        .filter(e -> e.type().equals("output")).map(e -> e.data().getString("address")).distinct().count() == 4);
    JsonObject running = HubApi.get(cluster.node(1).url(), "/api/jobs/" + id).json();
    Poll.until(Duration.ofSeconds(20), "the done event", () -> events.stream().anyMatch(e -> e.type().equals("done")));

    assertTrue(events.stream().noneMatch(e -> e.type().equals("failed")), events.toString());
    Map<String, StringBuilder> streamed = new HashMap<>();
    Map<String, Long> firstLine = new HashMap<>();
    Map<String, Long> resultAt = new HashMap<>();
    Set<String> ranBy = new HashSet<>();
    for (Event e : events) {
      String address = e.data().getString("address");
      if (e.type().equals("output")) {
        assertTrue(!resultAt.containsKey(address), "no output after the target's result: " + e);
        streamed.computeIfAbsent(address, a -> new StringBuilder()).append(e.data().getString("text"));
        firstLine.putIfAbsent(address, e.atNanos());
      } else if (e.type().equals("result")) {
        resultAt.put(address, e.atNanos());
        ranBy.add(e.data().getString("ran_by"));
        assertEquals("ok", e.data().getString("state"), e.data().encode());
        assertEquals(e.data().getString("output"), streamed.get(address).toString(),
            "the pieces streamed add up to the target's whole output");
      }
    }
    assertEquals(2, ranBy.size(), "both hubs ran (and followed) some of the sessions: " + ranBy);
    assertEquals(4, resultAt.size());
    for (String address : resultAt.keySet()) {
      double firstS = (firstLine.get(address) - started) / 1e9;
      double endS = (resultAt.get(address) - started) / 1e9;
      assertTrue(endS >= 1.9, address + " ran its 2 s: " + endS);
      assertTrue(endS - firstS >= 1.0, address + ": first line at " + firstS + " s, result at " + endS + " s");
    }
    // read through the other hub while the commands ran: every target is running, some with output so far
    assertEquals("running", running.getString("state"), running.encode());
    JsonArray soFar = running.getJsonArray("running");
    assertEquals(4, soFar.size(), running.encode());
    assertTrue(soFar.stream().map(o -> ((JsonObject) o).getString("output")).allMatch(o -> o.startsWith("tick 0\n")),
        "each running target's output so far, as the other hub heard it: " + soFar.encode());
  }

  @Test
  void agentsAnsweringOutputWithGarbageDoNotHarmTheirCommandsOrTheHub() throws Exception {
    // honest commands that answer only once the hub has asked for their output (so it follows them), hostile
    // answers to output
    Map<String, HostileServer.Script> onOutput = new java.util.LinkedHashMap<>();
    onOutput.put("endless", HostileServer.endless());
    onOutput.put("huge", HostileServer.huge(8 << 20));
    onOutput.put("doctype", HostileServer.xml("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"x\">]>"
        + "<methodResponse><params><param><value>&e;</value></param></params></methodResponse>"));
    onOutput.put("not a struct", HostileServer.value("<array><data></data></array>"));
    onOutput.put("silent", HostileServer.silent());
    onOutput.put("html", HostileServer.raw(HostileServer.http(200, "text/html", "<html>no</html>".getBytes(
        java.nio.charset.StandardCharsets.UTF_8))));
    List<HostileAgent> hostile = new java.util.ArrayList<>();
    String hub = cluster.node(0).url();
    int port = Integer.parseInt(hub.substring(hub.lastIndexOf(':') + 1));
    try {
      for (Map.Entry<String, HostileServer.Script> c : onOutput.entrySet()) {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        HostileServer.Script okOnceAsked = (socket, request) -> {
          try {
            asked.await(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted", e);
          }
          HostileServer.value("<string>ok\n</string>").answer(socket, request);
        };
        HostileServer.Script hostileOutput = (socket, request) -> {
          asked.countDown();
          c.getValue().answer(socket, request);
        };
        HostileAgent agent = HostileAgent.startLive(c.getKey(), "liveh", okOnceAsked, hostileOutput);
        hostile.add(agent);
        Wire.Answer registered = Wire.send(port, Wire.post(port, "/RPC2", agent.registerCall("liveh")));
        assertEquals(200, registered.status(), registered.text());
      }
      Poll.until(Duration.ofSeconds(10), "the hostile agents are listed",
          () -> HubApi.count(hub, "tag.suite=liveh") == onOutput.size());
      long started = System.nanoTime();
      JsonObject job = HubApi.post(hub, "/api/broadcast", new JsonObject().put("selector", "tag.suite=liveh")
          .put("code", "print('ok')").put("timeout", 5)).json();
      double seconds = (System.nanoTime() - started) / 1e9;
      assertEquals(onOutput.size(), job.getJsonObject("counts").getInteger("ok"), job.encodePrettily());
      job.getJsonArray("results").forEach(r -> assertEquals("ok\n", ((JsonObject) r).getString("output")));
      assertTrue(seconds < 4, "each result waited at most a second for its follower: " + seconds + " s");
      hostile.forEach(h -> assertTrue(h.outputCalls() >= 1, h.name() + " was asked for output"));
      assertEquals(4, HubApi.count(hub, "tag.group=live"), "the hub still answers");
    } finally {
      for (HostileAgent h : hostile) {
        h.close();
      }
    }
  }

  @Test
  void aCommandPrintingFiftyMegabytesEndsWithHeadTailAndMarker() {
    Agent target = agents.all().get(2);
    String address = target.url().replace("http://", "").replace("/", "");
    String code = "line = 'x' * 999\nfor i in range(50000):\n    print(line)\nprint('last line')\n";
    JsonObject job = HubApi.post(cluster.node(1).url(), "/api/sessions/" + address + "/command",
        new JsonObject().put("code", code).put("timeout", 120)).json();
    JsonObject result = job.getJsonArray("results").getJsonObject(0);
    assertEquals("ok", result.getString("state"), result.encode().substring(0, Math.min(500, result.encode()
        .length())));
    String output = result.getString("output");
    assertTrue(output.length() < 1_100_000, "bounded: " + output.length() + " characters");
    assertTrue(output.startsWith("x".repeat(999) + "\n"), "the head is kept");
    assertTrue(output.endsWith("last line\n"), "the tail is kept");
    assertTrue(output.matches("(?s).*\\n\\[output truncated: \\d+ characters not kept\\]\\n.*"), "a marker");
    long kept = Long.parseLong(output.replaceAll("(?s).*\\[output truncated: (\\d+) characters not kept.*", "$1"));
    assertEquals(50_000L * 1000 + "last line\n".length(), kept + 2 * 512 * 1024, "the marker counts what it dropped");
  }
}
