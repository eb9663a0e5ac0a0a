package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.BlenderSession;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.JavaAgentUnderTest;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import dev.sessionhub.hub.testing.JobStream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Blender sessions (Debian's {@code blender -b}, the add-on installed from the jar's zip as a user installs it)
 * beside a Java session, reached through a hub: a scan finds both Blenders and the Java session; {@code command}
 * and a broadcast run bpy code that adds a mesh and return what it printed, on Blender's main thread; the inventory
 * shows the new objects; a raising command ends {@code error} with the traceback, one past its time limit ends
 * {@code timeout} and the session answers the next; a Blender started with a hub URL appears through its
 * announcement within a second, sees the others through the {@code hub} object in its namespace, and leaves at
 * once when it quits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlenderSessionsTest {

  private static final String ADD_MESH = "import bpy, threading\n"
      + "bpy.ops.mesh.primitive_cube_add(size=1.0)\n"
      + "bpy.context.active_object.name = 'FromHub'\n"
      + "print(bpy.context.active_object.name, threading.current_thread() is threading.main_thread())\n";

  private BlenderSession blenderA;
  private BlenderSession blenderB;
  private AgentUnderTest javaSession;
  private HubCluster cluster;
  private String hub;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    BlenderSession.require();
    int base = FreePorts.range(6);
    blenderA = BlenderSession.start(dir.resolve("a"), base, base + 5, Map.of("SESSIONHUB_NAME", "layout-a"));
    blenderB = BlenderSession.start(dir.resolve("b"), base, base + 5, Map.of("SESSIONHUB_NAME", "layout-b"));
    javaSession = JavaAgentUnderTest.start(
        new AgentOptions().setBasePort(base).setMaxPort(base + 5).setName("java-tool"));
    cluster = HubCluster.start(1, o -> o.addScanTarget("127.0.0.1:" + base + "-" + (base + 5))
        .setScanInterval(Duration.ofMillis(400)).setLease(Duration.ofSeconds(10)));
    hub = cluster.node(0).url();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {blenderA, blenderB, javaSession, cluster}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private String address(BlenderSession blender) {
    return "127.0.0.1:" + blender.port();
  }

  /** The one result of a routed command. */
  private JsonObject route(String address, String code, int timeoutSeconds) {
    HubApi.Reply r = HubApi.post(hub, "/api/sessions/" + address + "/command",
        new JsonObject().put("code", code).put("timeout", timeoutSeconds));
    assertEquals(200, r.status(), r.json().encode());
    assertEquals("done", r.json().getString("state"), r.json().encode());
    return r.json().getJsonArray("results").getJsonObject(0);
  }

  private static String python3(String code, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", "-c", code));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 finished");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void aScanFindsBothBlendersBesideTheJavaSessionAndCommandsRunBpyOnTheirMainThread() throws Exception {
    Poll.until(Duration.ofSeconds(30), "the hub finds two Blenders and the Java session",
        () -> HubApi.count(hub, "app=blender") == 2 && HubApi.count(hub, "name=java-tool") == 1);
    JsonObject a = HubApi.sessions(hub, "name=layout-a").getJsonArray("sessions").getJsonObject(0);
    assertEquals(address(blenderA), a.getString("address"));
    assertEquals("scan", a.getString("source"));
    assertEquals(Boolean.TRUE, a.getBoolean("main_thread"));

    JsonObject routed = route(address(blenderA), ADD_MESH, 30);
    assertEquals("ok", routed.getString("state"), routed.encode());
    assertEquals("FromHub True\n", routed.getString("output"));

    String viaXmlRpc = python3("import sys, xmlrpc.client\n"
        + "hub = xmlrpc.client.ServerProxy(sys.argv[1] + '/RPC2', allow_none=True)\n"
        + "print(hub.hub.command(sys.argv[2], sys.argv[3]), end='')\n", hub, address(blenderB),
        ADD_MESH.replace("FromHub", "ViaXmlRpc"));
    assertEquals("ViaXmlRpc True\n", viaXmlRpc, "hub.command over the hub's XML-RPC, python3's stock client");

    HubApi.Reply reply = HubApi.post(hub, "/api/broadcast", new JsonObject().put("selector", "app=blender")
        .put("code", ADD_MESH.replace("FromHub", "Broadcast")).put("timeout", 30).put("wait", true));
    assertEquals(200, reply.status(), reply.json().encode());
    assertEquals(2, reply.json().getJsonObject("counts").getInteger("ok"), reply.json().encode());
    JsonArray results = reply.json().getJsonArray("results");
    for (int i = 0; i < results.size(); i++) {
      assertEquals("Broadcast True\n", results.getJsonObject(i).getString("output"), results.encode());
    }
    Poll.until(Duration.ofSeconds(10), "the inventory shows the new objects",
        () -> HubApi.count(hub, "app=blender object=Broadcast") == 2
            && HubApi.count(hub, "name=layout-a object=FromHub") == 1
            && HubApi.count(hub, "name=layout-b object=ViaXmlRpc") == 1);
  }

  @Test
  void whatBlenderPrintsStreamsWhileTheCommandRunsAndACancelInterruptsIt() {
    Poll.until(Duration.ofSeconds(30), "the hub knows Blender A", () -> HubApi.count(hub, "name=layout-a") == 1);
    String ticks = "import bpy, time\nfor i in range(15):\n    print('frame', bpy.context.scene.frame_current, i)\n"
        + "    time.sleep(0.1)\n";
    long started = System.nanoTime();
    JsonObject job = HubApi.post(hub, "/api/broadcast", new JsonObject().put("selector", "name=layout-a")
        .put("code", ticks).put("timeout", 30).put("wait", false)).json();
    List<JobStream.Event> events = JobStream.follow(hub, job.getString("id"));
    Poll.until(Duration.ofSeconds(30), "the done event", () -> events.stream().anyMatch(e -> e.type().equals("done")));
    JobStream.Event firstOutput = events.stream().filter(e -> e.type().equals("output")).findFirst().orElseThrow(
        () -> new AssertionError("no output event: " + events));
    JobStream.Event result = events.stream().filter(e -> e.type().equals("result")).findFirst().orElseThrow();
    assertEquals("ok", result.data().getString("state"), result.data().encode());
    assertTrue(result.data().getString("output").startsWith("frame 1 0\n"), result.data().encode());
    assertTrue(result.atNanos() - firstOutput.atNanos() > 700_000_000L, "Blender's first lines arrived "
        + (result.atNanos() - firstOutput.atNanos()) / 1_000_000 + " ms before its result, "
        + (firstOutput.atNanos() - started) / 1_000_000 + " ms after the start");

    JsonObject loop = HubApi.post(hub, "/api/broadcast", new JsonObject().put("selector", "name=layout-a")
        .put("code", "print('looping')\nwhile True:\n    pass").put("timeout", 60).put("wait", false)).json();
    String loopId = loop.getString("id");
    Poll.until(Duration.ofSeconds(20), "the loop runs (its first line is in the job)", () -> HubApi.get(hub,
        "/api/jobs/" + loopId).json().getJsonArray("running", new io.vertx.core.json.JsonArray()).stream()
        .anyMatch(r -> ((JsonObject) r).getString("output").equals("looping\n")));
    long cancelled = System.nanoTime();
    assertEquals(200, HubApi.delete(hub, "/api/jobs/" + loopId).status());
    Poll.until(Duration.ofSeconds(10), "the cancelled job is done", () -> "done".equals(
        HubApi.get(hub, "/api/jobs/" + loopId).json().getString("state")));
    JsonObject ended = HubApi.get(hub, "/api/jobs/" + loopId).json().getJsonArray("results").getJsonObject(0);
    assertEquals("cancelled", ended.getString("state"), ended.encode());
    System.out.println("blender-sessions: a running loop in Blender cancelled in "
        + (System.nanoTime() - cancelled) / 1_000_000 + " ms");
    JsonObject next = route(address(blenderA), "print('free again')", 30);
    assertEquals("free again\n", next.getString("output"), "Blender serves on after the interrupted loop");
  }

  @Test
  void aRaisingCommandEndsErrorAndOnePastItsLimitEndsTimeoutWhileTheSessionServesOn() {
    Poll.until(Duration.ofSeconds(30), "the hub knows Blender B", () -> HubApi.count(hub, "name=layout-b") == 1);
    JsonObject raised = route(address(blenderB), "import bpy\nbpy.data.objects['Missing']", 30);
    assertEquals("error", raised.getString("state"), raised.encode());
    assertEquals(1, raised.getInteger("fault_code"), raised.encode());
    assertTrue(raised.getString("message").startsWith("KeyError: "), raised.encode());
    assertTrue(raised.getString("message").contains("Traceback (most recent call last):"), raised.encode());
    JsonObject slow = route(address(blenderB), "while True:\n    pass", 1);
    assertEquals("timeout", slow.getString("state"), slow.encode());
    JsonObject next = route(address(blenderB), "print('next')", 30);
    assertEquals("ok", next.getString("state"), next.encode());
    assertEquals("next\n", next.getString("output"));
  }

  @Test
  void aBlenderStartedWithTheHubAppearsWithinASecondAndLeavesAtOnceWhenItQuits(@TempDir Path dir) throws Exception {
    int base = FreePorts.range(2);  // outside the scanned range: only its announcement can make it known
    BlenderSession announced = BlenderSession.start(dir, base, base + 1,
        Map.of("SESSIONHUB_HUB", hub, "SESSIONHUB_NAME", "announced", "SESSIONHUB_TAGS", "show=demo"));
    try {
      long listening = System.nanoTime();
      Poll.until(Duration.ofSeconds(1), "the announced Blender is in the inventory within a second",
          () -> HubApi.count(hub, "name=announced tag.show=demo source=announce") == 1);
      System.out.println("blender-sessions: announced Blender listed "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - listening) + " ms after it listened");
      JsonObject peers = route("127.0.0.1:" + announced.port(),
          "print(sorted(s['address'] for s in hub.sessions('app=blender')), repr(hub))", 30);
      assertEquals("ok", peers.getString("state"), peers.encode());
      assertTrue(peers.getString("output").contains("'127.0.0.1:" + blenderA.port() + "'")
          && peers.getString("output").contains("'127.0.0.1:" + announced.port() + "'"),
          "the hub object in Blender's namespace lists the Blender sessions: " + peers.getString("output"));
      assertEquals(0, announced.quit(Duration.ofSeconds(30)), announced.log());
      long quit = System.nanoTime();
      Poll.until(Duration.ofSeconds(1), "the Blender that quit leaves the inventory at once (lease is 10 s)",
          () -> HubApi.count(hub, "name=announced") == 0);
      System.out.println("blender-sessions: it left " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quit)
          + " ms after Blender exited");
      assertTrue(FreePorts.isFree(announced.port()), "its port is free after quit");
    } finally {
      announced.close();
    }
  }
}
