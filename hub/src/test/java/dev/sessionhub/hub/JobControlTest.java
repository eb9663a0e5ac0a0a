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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steering jobs on a two-hub cluster with 30 real sessions on four loopback hosts, each hub sending at most 4
 * commands at once: cancel through the hub that does not coordinate the job, and rolling batches that stop on
 * failures. What ran is checked from inside the sessions: every command appends to a file named for its session.
 * The tests share the cluster and sessions, never a job or a file.
 */
class JobControlTest {

  private static final int SESSIONS = 30;

  @TempDir
  static Path marks;
  private static HubCluster cluster;
  private static Agents agents;
  /** Session addresses in the order a broadcast sends them (host, then port). */
  private static List<String> ordered;

  @BeforeAll
  static void start() throws Exception {
    int base = FreePorts.range(10);
    agents = new Agents();
    for (int i = 0; i < SESSIONS; i++) {
      agents.start(new AgentOptions().setBindAddress("127.0.0." + (1 + i % 4)).setBasePort(base)
          .setMaxPort(base + 9));
    }
    cluster = HubCluster.start(2, o -> o.addScanTarget("127.0.0.1-4:" + base + "-" + (base + 9))
        .setScanInterval(Duration.ofSeconds(1)).setLease(Duration.ofSeconds(30)).setAgentCalls(4));
    Poll.until(Duration.ofSeconds(60), SESSIONS + " sessions found",
        () -> HubApi.count(cluster.node(0).url(), "") == SESSIONS);
    ordered = new ArrayList<>();
    for (Agent a : agents.all()) {
      ordered.add(a.url().replace("http://", "").replace("/", ""));
    }
    ordered.sort(Comparator.comparing((String a) -> a.substring(0, a.lastIndexOf(':')))
        .thenComparingInt(a -> Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))));
    // each session learns its name, so what it runs can say where it ran
    JsonObject named = broadcast(cluster.node(0).url(), new JsonObject().put("code",
        "import socket\nme = None\n"), true);
    assertEquals(SESSIONS, named.getJsonObject("counts").getInteger("ok"), named.encodePrettily());
    for (String address : ordered) {
      HubApi.Reply r = HubApi.post(cluster.node(1).url(), "/api/sessions/" + address + "/command",
          new JsonObject().put("code", "me = '" + address.replace(':', '_') + "'"));
      assertEquals(200, r.status(), r.json().encode());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    agents.close();
  }

  private static JsonObject broadcast(String hub, JsonObject body, boolean wait) {
    // what a test counts needs every session as a target: the hub it goes through lists all of them first
    Poll.until(Duration.ofSeconds(30), hub + " lists all " + SESSIONS + " sessions",
        () -> HubApi.count(hub, "") == SESSIONS);
    HubApi.Reply r = HubApi.post(hub, "/api/broadcast", body.put("selector", "").put("timeout", 60)
        .put("wait", wait));
    assertEquals(wait ? 200 : 202, r.status(), r.json().encode());
    return r.json();
  }

  /** Python that appends {@code tag} to this session's own file under the test's folder, then runs {@code rest}. */
  private static String marking(String tag, String rest) {
    return "open(" + py(marks.toString()) + " + '/' + me + '." + tag + "', 'a').write('ran\\n')\n" + rest;
  }

  private static String py(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** The sessions (as host_port) whose file for {@code tag} exists. */
  private static List<String> ranWith(String tag) {
    try (Stream<Path> files = Files.list(marks)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("." + tag))
          .map(n -> n.substring(0, n.length() - tag.length() - 1)).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, JsonObject> resultsByAddress(JsonObject job) {
    Map<String, JsonObject> out = new HashMap<>();
    JsonArray results = job.getJsonArray("results");
    for (int i = 0; i < results.size(); i++) {
      out.put(results.getJsonObject(i).getString("address"), results.getJsonObject(i));
    }
    return out;
  }

  private static JsonObject awaitDone(String hub, String id) {
    Poll.until(Duration.ofSeconds(90), "job " + id + " done",
        () -> "done".equals(HubApi.get(hub, "/api/jobs/" + id).json().getString("state")));
    return HubApi.get(hub, "/api/jobs/" + id).json();
  }

  @Test
  void aCancelThroughTheOtherHubStopsRunningCommandsAndQueuedOnesNeverRun() throws Exception {
    String tag = "cancel-" + UUID.randomUUID();
    String coordinator = cluster.node(0).url();
    String other = cluster.node(1).url();
    JsonObject started = broadcast(coordinator, new JsonObject().put("code",
        marking(tag, "n = 0\nwhile True:\n    n += 1\n")), false);
    String id = started.getString("id");
    // 4 agent-call workers per hub: 8 commands run, the other 22 wait in the hubs' queues
    Poll.until(Duration.ofSeconds(60), "8 sessions running the loop", () -> ranWith(tag).size() >= 8);
    List<String> runningAtCancel = ranWith(tag);

    Instant cancelAt = Instant.now();
    HubApi.Reply cancelled = HubApi.delete(other, "/api/jobs/" + id);
    assertEquals(200, cancelled.status(), cancelled.json().encode());
    assertEquals(Boolean.TRUE, cancelled.json().getBoolean("cancelled"));
    JsonObject job = awaitDone(other, id);
    Duration stopped = Duration.between(cancelAt, Instant.now());

    assertEquals(SESSIONS, job.getJsonObject("counts").getInteger("cancelled"), job.encodePrettily());
    assertEquals(0, job.getJsonObject("counts").getInteger("finished_after_cancel"));
    assertEquals(runningAtCancel, ranWith(tag), "no command waiting in a hub ran after the cancel");
    assertTrue(stopped.compareTo(Duration.ofSeconds(5)) < 0, "running commands stopped in " + stopped);
    Map<String, JsonObject> results = resultsByAddress(job);
    for (String address : ordered) {
      String message = results.get(address).getString("message");
      boolean ran = runningAtCancel.contains(address.replace(':', '_'));
      assertTrue(ran ? message.contains("interrupted") : message.contains("did not run"), address + ": " + message);
    }
    assertEquals(job.getJsonObject("counts"), HubApi.get(coordinator, "/api/jobs/" + id).json()
        .getJsonObject("counts"), "the job reads the same through both hubs");

    HubApi.Reply again = HubApi.delete(coordinator, "/api/jobs/" + id);
    assertEquals(409, again.status(), "a finished job: " + again.json().encode());
    HubApi.Reply unknown = HubApi.delete(coordinator, "/api/jobs/" + UUID.randomUUID());
    assertEquals(404, unknown.status());
    assertEquals("1\n", HubApi.post(other, "/api/sessions/" + ordered.get(0) + "/command",
        new JsonObject().put("code", "print(1)")).json().getJsonArray("results").getJsonObject(0)
        .getString("output"), "the sessions serve the next command");
  }

  @Test
  void aRollingBroadcastStopsAfterMaxFailuresAndNeverSendsTheRest() throws Exception {
    String tag = "roll-" + UUID.randomUUID();
    // sessions 7 and 9 in send order (both in the second wave of 5) raise
    String failing = "('" + ordered.get(6).replace(':', '_') + "', '" + ordered.get(8).replace(':', '_') + "')";
    JsonObject job = broadcast(cluster.node(1).url(), new JsonObject()
        .put("code", marking(tag, "if me in " + failing + ":\n    raise ValueError('on purpose')\nprint(me)\n"))
        .put("batch", 5).put("max_failures", 2), true);

    assertEquals("done", job.getString("state"));
    assertEquals(SESSIONS, job.getInteger("target_count"), job.encodePrettily());
    JsonObject counts = job.getJsonObject("counts");
    assertEquals(8, counts.getInteger("ok"), job.encodePrettily());
    assertEquals(2, counts.getInteger("error"), job.encodePrettily());
    assertEquals(20, counts.getInteger("skipped"), job.encodePrettily());
    List<String> expectedRan = ordered.subList(0, 10).stream().map(a -> a.replace(':', '_')).sorted().toList();
    assertEquals(expectedRan, ranWith(tag), "exactly the first two waves ran");
    JsonArray waves = job.getJsonArray("waves");
    assertEquals(2, waves.size(), job.encodePrettily());
    assertEquals(new JsonArray(ordered.subList(0, 5)), waves.getJsonObject(0).getJsonArray("targets"));
    assertEquals(new JsonArray(ordered.subList(5, 10)), waves.getJsonObject(1).getJsonArray("targets"));
    assertEquals(new JsonObject().put("batch", "5").put("batch_wait_ms", 0).put("max_failures", 2),
        job.getJsonObject("rollout"));
  }

  @Test
  void rolloutOptionsOfWrongTypesOrRangesAreClearErrors() {
    String hub = cluster.node(0).url();
    for (JsonObject bad : List.of(new JsonObject().put("batch", -1), new JsonObject().put("batch", 0),
        new JsonObject().put("batch", "0%"), new JsonObject().put("batch", "101%"), new JsonObject().put("batch", "x"),
        new JsonObject().put("batch", 2_000_000_000L), new JsonObject().put("batch", true),
        new JsonObject().put("batch", 5).put("max_failures", -2), new JsonObject().put("batch", 5)
            .put("max_failures", "two"), new JsonObject().put("batch", 5).put("batch_wait", "soon"),
        new JsonObject().put("batch", 5).put("batch_wait", 1e9), new JsonObject().put("max_failures", 1),
        new JsonObject().put("batch", 5).put("fail_fast", "yes"))) {
      HubApi.Reply r = HubApi.post(hub, "/api/broadcast", bad.copy().put("selector", "").put("code", "print(1)"));
      assertEquals(400, r.status(), bad.encode() + " -> " + r.json().encode());
      assertTrue(r.json().getString("message").contains("batch") || r.json().getString("message")
          .contains("max_failures") || r.json().getString("message").contains("fail_fast"), r.json().encode());
    }
  }
}
