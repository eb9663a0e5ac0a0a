package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.Bait;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.ProcessHealth;
import dev.sessionhub.agent.testing.Wire;
import dev.sessionhub.agent.testing.XmlPayloads;
import dev.sessionhub.hub.impl.client.Canary;
import dev.sessionhub.hub.impl.client.HostileAgent;
import dev.sessionhub.hub.impl.client.HostileServer;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import dev.sessionhub.shared.xmlrpc.CodecLimits;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hostile-server suite on the command path. Among three honest agents sit hostile "agents" that answer
 * {@code server_data()} plausibly (half enter the inventory by scan, half by {@code hub.register}) and misbehave
 * only when a command comes: a fault carrying a serialized Java object, a DOCTYPE with an external DTD or
 * entity, an entity bomb, endless, huge, trickling or no answers, a close or reset mid-response, non-XML, HTML,
 * HTTP 500, a redirect, results of the wrong type. Routed and broadcast (REST and XML-RPC) commands end every
 * hostile target in error, timeout, unreachable or (hung up after the command arrived) unknown with a clear
 * message, never ok; the honest targets in the
 * same jobs end ok with their own output; jobs finish within their timeout bound; the API keeps answering
 * quickly throughout; nothing is deserialized or fetched.
 */
class HostileCommandTargetsTest {

  private static final String SUITE = "cmd";
  private static final int TIMEOUT_S = 3;
  /** The job's own bound: its per-target timeout plus the hub's grace for recording results, plus slack. */
  private static final long JOB_BOUND_MS = (TIMEOUT_S + 6 + 2) * 1000L;
  private static final String CODE = "print('ok from ' + who)";
  private static final Set<String> ERROR = Set.of("error");
  private static final Set<String> TIMEOUT = Set.of("timeout");
  private static final Set<String> GONE = Set.of("unreachable", "error");
  private static final Set<String> MAY_HAVE_RUN = Set.of("unknown");

  /** One hostile behaviour on {@code command}, the end states it may get and what its message must mention. */
  private record Case(String name, HostileServer.Script script, Set<String> states, String mention) {
  }

  private static final List<HostileAgent> hostile = new ArrayList<>();
  private static final Map<String, Case> caseByAddress = new LinkedHashMap<>();
  private static final Map<String, String> honestOutput = new LinkedHashMap<>();
  private static Bait bait;
  private static Agents agents;
  private static HubCluster cluster;
  private static String hub;
  private static ScheduledExecutorService watcher;
  private static final AtomicLong slowestApiMs = new AtomicLong();
  private static final AtomicReference<String> apiFailure = new AtomicReference<>();
  private static ProcessHealth baseline;

  @BeforeAll
  static void start() throws Exception {
    Canary.deserialized = false;
    bait = new Bait();
    List<HostileAgent> scanned = new ArrayList<>();
    for (Case c : cases()) {
      HostileAgent h = HostileAgent.start(c.name(), SUITE, c.script());
      hostile.add(h);
      caseByAddress.put(h.address(), c);
      if (hostile.size() % 2 == 1) {
        scanned.add(h);
      }
    }
    StringJoiner ports = new StringJoiner(",");
    scanned.forEach(h -> ports.add(String.valueOf(h.port())));
    cluster = HubCluster.start(1, o -> o.addScanTarget("127.0.0.1:" + ports).setScanInterval(Duration.ofSeconds(1))
        .setLease(Duration.ofSeconds(120)).setPollTimeout(Duration.ofSeconds(2)));
    hub = cluster.node(0).url();
    int hubPort = cluster.node(0).hub().httpPort();
    for (HostileAgent h : hostile) {
      if (!scanned.contains(h)) {
        Wire.Answer registered = Wire.send(hubPort, Wire.post(hubPort, "/RPC2", h.registerCall(SUITE)));
        assertEquals(200, registered.status(), registered::toString);
        assertFalse(registered.text().contains("<fault>"), registered::toString);
      }
    }
    agents = new Agents();
    for (int i = 0; i < 3; i++) {
      Agent honest = agents.start(new AgentOptions().setPort(0).setHubUrl(hub).addTag("suite", SUITE)
          .addTag("role", "honest"));
      honestOutput.put(address(honest), "ok from h" + i + "\n");
    }
    int targets = hostile.size() + 3;
    Poll.until(Duration.ofSeconds(30), targets + " targets in the inventory",
        () -> HubApi.count(hub, "tag.suite=" + SUITE) == targets);
    int i = 0;
    for (String address : honestOutput.keySet()) {
      // The first command starts the session's interpreter (about a second, more on a busy machine).
      JsonObject set = route(address, "who = 'h" + i++ + "'", 60).getJsonArray("results").getJsonObject(0);
      assertEquals("ok", set.getString("state"), set.encode());
    }
    watcher = Executors.newSingleThreadScheduledExecutor();
    watcher.scheduleAtFixedRate(HostileCommandTargetsTest::timeOneApiCall, 0, 100, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      assertBackToBaseline();
    } finally {
      stopAll();
    }
  }

  private static void stopAll() throws Exception {
    if (watcher != null) {
      watcher.shutdownNow();
    }
    cluster.close();
    agents.close();
    for (HostileAgent h : hostile) {
      h.close();
    }
    bait.close();
  }

  private static String address(Agent a) {
    return "127.0.0.1:" + a.port();
  }

  /** The hostile behaviours; each gets its own listener. */
  private static List<Case> cases() throws Exception {
    String response = "<methodResponse><params><param><value><string>x</string></value></param></params>"
        + "</methodResponse>";
    List<Case> all = new ArrayList<>();
    all.add(new Case("fault carrying a serialized Java object", HostileServer.xml(Canary.faultWithCause()), ERROR,
        "boom"));
    all.add(new Case("DOCTYPE with an external DTD", HostileServer.xml(XmlPayloads.externalDtd("methodResponse",
        response, bait.url("evil.dtd"))), ERROR, "DOCTYPE"));
    all.add(new Case("external entity", HostileServer.xml(XmlPayloads.PROLOG + "<!DOCTYPE m [<!ENTITY e SYSTEM \""
        + bait.url("e") + "\">]><methodResponse><params><param><value><string>&e;</string></value></param>"
        + "</params></methodResponse>"), ERROR, "DOCTYPE"));
    all.add(new Case("parameter entity", HostileServer.xml(XmlPayloads.PROLOG + "<!DOCTYPE m [<!ENTITY % p SYSTEM \""
        + bait.url("p.dtd") + "\"> %p;]>" + response), ERROR, "DOCTYPE"));
    all.add(new Case("entity bomb", HostileServer.xml(XmlPayloads.billionLaughs("<methodResponse><params><param>"
        + "<value><string>HOLE</string></value></param></params></methodResponse>")), ERROR, "DOCTYPE"));
    all.add(new Case("20000 nested arrays", HostileServer.xml(XmlPayloads.PROLOG + "<methodResponse><params><param>"
        + "<value><array><data>".repeat(20_000) + "</data></array></value>".repeat(20_000)
        + "</param></params></methodResponse>"), ERROR, null));
    all.add(new Case("endless body", HostileServer.endless(), ERROR, "exceeds"));
    all.add(new Case("10 MiB body", HostileServer.huge(10 << 20), ERROR, "exceeds"));
    all.add(new Case("never answers", HostileServer.silent(), TIMEOUT, null));
    all.add(new Case("trickles its body forever", HostileServer.trickle(Duration.ofMillis(100)), TIMEOUT, null));
    all.add(new Case("trickles its headers forever", HostileServer.trickleHeaders(Duration.ofMillis(100)), TIMEOUT,
        null));
    all.add(new Case("closes mid-response", HostileServer.raw("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
        + "Content-Length: 1000\r\n\r\n<?xml version=\"1.0\"?><methodResponse><params><param><value><string>part"),
        GONE, null));
    // the agent had the command when it hung up: it may have run, so never "unreachable" (did not run)
    all.add(new Case("closes without an answer", (socket, request) -> { }, MAY_HAVE_RUN, "may have run"));
    all.add(new Case("resets the connection", HostileServer.reset(), MAY_HAVE_RUN, "may have run"));
    all.add(new Case("plain text", HostileServer.raw(HostileServer.http(200, "text/plain",
        "all good".getBytes(StandardCharsets.UTF_8))), ERROR, null));
    all.add(new Case("HTML", HostileServer.raw(HostileServer.http(200, "text/html",
        "<html><body><h1>Router login</h1><br></body></html>".getBytes(StandardCharsets.UTF_8))), ERROR, null));
    all.add(new Case("HTTP 500", HostileServer.raw(HostileServer.http(500, "text/xml",
        "oops".getBytes(StandardCharsets.UTF_8))), ERROR, "HTTP 500"));
    all.add(new Case("redirect to elsewhere", HostileServer.raw("HTTP/1.1 307 Temporary Redirect\r\nLocation: "
        + bait.url("next") + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), ERROR, "HTTP 307"));
    all.add(new Case("SSH banner", HostileServer.sshBanner(), ERROR, null));
    all.add(new Case("gzip body", HostileServer.raw(gzipped()), ERROR, null));
    all.add(new Case("fault with a text faultCode", HostileServer.xml(XmlPayloads.PROLOG + "<methodResponse><fault>"
        + "<value><struct><member><name>faultCode</name><value><string>x</string></value></member>"
        + "<member><name>faultString</name><value><string>y</string></value></member></struct></value></fault>"
        + "</methodResponse>"), ERROR, null));
    all.add(new Case("int result", HostileServer.value("<int>42</int>"), ERROR, "an int"));
    all.add(new Case("struct result", HostileServer.value("<struct><member><name>out</name><value><string>ok"
        + "</string></value></member></struct>"), ERROR, "a struct"));
    all.add(new Case("array result", HostileServer.value("<array><data><value><string>ok</string></value></data>"
        + "</array>"), ERROR, "an array"));
    all.add(new Case("nil result", HostileServer.value("<nil/>"), ERROR, "nil"));
    all.add(new Case("base64 result", HostileServer.value("<base64>b2sK</base64>"), ERROR, "base64"));
    return all;
  }

  private static byte[] gzipped() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(("<?xml version=\"1.0\"?><methodResponse><params><param><value><string>hi</string></value></param>"
          + "</params></methodResponse>").getBytes(StandardCharsets.UTF_8));
    }
    byte[] body = zipped.toByteArray();
    return Wire.concat(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body);
  }

  /** Runs on the watcher every 100 ms: one API call, timed; the slowest and any failure are kept. */
  private static void timeOneApiCall() {
    long start = System.nanoTime();
    try {
      int count = HubApi.sessions(hub, "tag.suite=" + SUITE).getInteger("count");
      if (count != hostile.size() + 3) {
        apiFailure.compareAndSet(null, "the inventory changed under the hostile commands: " + count);
      }
    } catch (RuntimeException | AssertionError e) {
      apiFailure.compareAndSet(null, "the API failed: " + e);
    }
    slowestApiMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
  }

  private static JsonObject route(String address, String code) {
    return route(address, code, TIMEOUT_S);
  }

  private static JsonObject route(String address, String code, int timeoutSeconds) {
    HubApi.Reply r = HubApi.post(hub, "/api/sessions/" + address + "/command", new JsonObject().put("code", code)
        .put("timeout", timeoutSeconds));
    assertEquals(200, r.status(), r.json().encode());
    return r.json();
  }

  /** Every hostile target ended as its case allows, with a clear message; every honest one ok with its output. */
  private static void assertEveryTargetEndedRight(String how, Map<String, JsonObject> byAddress) {
    assertEquals(hostile.size() + 3, byAddress.size(), how + ": one result per target");
    List<String> wrong = new ArrayList<>();
    for (HostileAgent h : hostile) {
      Case c = caseByAddress.get(h.address());
      JsonObject r = byAddress.get(h.address());
      String why = hostileProblem(c, r);
      if (why != null) {
        wrong.add(c.name() + ": " + why);
      }
    }
    honestOutput.forEach((address, output) -> {
      JsonObject r = byAddress.get(address);
      if (!"ok".equals(r.getString("state")) || !output.equals(r.getString("output"))) {
        wrong.add("honest " + address + " should be ok with '" + output.trim() + "': " + r.encode());
      }
    });
    assertTrue(wrong.isEmpty(), how + ":\n  " + String.join("\n  ", wrong));
  }

  private static String hostileProblem(Case c, JsonObject r) {
    if (r == null) {
      return "no result";
    }
    String state = r.getString("state");
    String message = r.getString("message");
    if (!c.states().contains(state)) {
      return "ended " + state + ", expected " + c.states() + ": " + r.encode();
    }
    if (r.containsKey("output")) {
      return "a failed target carries output: " + r.encode();
    }
    if (message == null || message.isBlank()) {
      return "no message: " + r.encode();
    }
    if (c.mention() != null && !message.contains(c.mention())) {
      return "message '" + message + "' does not mention '" + c.mention() + "'";
    }
    return null;
  }

  private static Map<String, JsonObject> byAddress(JsonArray results) {
    Map<String, JsonObject> map = new HashMap<>();
    results.forEach(o -> map.put(((JsonObject) o).getString("address"), (JsonObject) o));
    return map;
  }

  @Test
  void aRestBroadcastEndsHostileTargetsInErrorsAndHonestOnesOk() {
    long start = System.nanoTime();
    HubApi.Reply reply = HubApi.post(hub, "/api/broadcast", new JsonObject().put("selector", "tag.suite=" + SUITE)
        .put("code", CODE).put("timeout", TIMEOUT_S).put("wait", true));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(200, reply.status(), reply.json().encode());
    JsonObject job = reply.json();
    System.out.println("hostile-commands: REST broadcast to " + (hostile.size() + 3) + " targets took " + tookMs
        + " ms, counts " + job.getJsonObject("counts"));
    assertEquals("done", job.getString("state"));
    assertTrue(tookMs < JOB_BOUND_MS, "the job finished in " + tookMs + " ms, bound " + JOB_BOUND_MS + " ms");
    assertEveryTargetEndedRight("REST broadcast", byAddress(job.getJsonArray("results")));
    assertEquals(3, job.getJsonObject("counts").getInteger("ok"), job.getJsonObject("counts").encode());
    assertEquals(0, job.getJsonObject("counts").getInteger("pending"));
    JsonObject canary = byAddress(job.getJsonArray("results")).get(hostile.get(0).address());
    assertEquals(42, canary.getInteger("fault_code"), "the fault's code and text only: " + canary.encode());
    assertEquals("boom", canary.getString("message"));
    hostile.forEach(h -> assertTrue(h.commandCalls() >= 1, h.name() + " was sent the command"));
  }

  @Test
  void anXmlRpcBroadcastEndsTheSameWay() throws Exception {
    int port = cluster.node(0).hub().httpPort();
    long start = System.nanoTime();
    Wire.Answer answer = Wire.send(port, Wire.post(port, "/RPC2", XmlPayloads.call("hub.broadcast",
        XmlPayloads.str("tag.suite=" + SUITE), XmlPayloads.str(CODE), "<double>" + TIMEOUT_S + "</double>")));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(200, answer.status(), answer::toString);
    XmlRpcResponse r = new XmlRpcCodec(new CodecLimits(CodecLimits.DEFAULT_MAX_DEPTH, 16 << 20))
        .decodeResponse(answer.body());
    assertFalse(r.isFault(), () -> "hub.broadcast faulted: " + r.fault());
    JsonObject job = new JsonObject(plain(r.value()));
    assertTrue(tookMs < JOB_BOUND_MS, "the job finished in " + tookMs + " ms, bound " + JOB_BOUND_MS + " ms");
    assertEveryTargetEndedRight("XML-RPC broadcast", byAddress(job.getJsonArray("results")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plain(Object struct) {
    return (Map<String, Object>) struct;
  }

  @Test
  void routedCommandsEndEachHostileTargetAndHubCommandRaisesAFault() throws Exception {
    int port = cluster.node(0).hub().httpPort();
    List<CompletableFuture<String>> checks = new ArrayList<>();
    var pool = Executors.newFixedThreadPool(8);
    try {
      for (HostileAgent h : hostile) {
        Case c = caseByAddress.get(h.address());
        checks.add(CompletableFuture.supplyAsync(() -> {
          JsonObject job = route(h.address(), CODE);
          String why = hostileProblem(c, job.getJsonArray("results").getJsonObject(0));
          if (why != null) {
            return c.name() + " (route): " + why;
          }
          Wire.Answer a = Wire.send(port, Wire.post(port, "/RPC2", XmlPayloads.call("hub.command",
              XmlPayloads.str(h.address()), XmlPayloads.str(CODE), "<double>" + TIMEOUT_S + "</double>")));
          if (a.status() != 200 || !a.text().contains("<fault>")) {
            return c.name() + " (hub.command): expected a fault, got " + a;
          }
          return null;
        }, pool));
      }
      List<String> wrong = new ArrayList<>();
      for (CompletableFuture<String> check : checks) {
        String why = check.get(60, TimeUnit.SECONDS);
        if (why != null) {
          wrong.add(why);
        }
      }
      assertTrue(wrong.isEmpty(), String.join("\n  ", wrong));
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    for (String address : honestOutput.keySet()) {
      assertEquals(honestOutput.get(address), route(address, CODE).getJsonArray("results").getJsonObject(0)
          .getString("output"), "honest targets are unaffected");
    }
  }

  /**
   * After each test, whichever ran: nothing was deserialized or fetched, the API kept answering, and the suite's
   * sessions are all still listed. The first test's end is the baseline the process must come back to.
   */
  @AfterEach
  void nothingWasDeserializedOrFetchedAndTheApiKeptAnswering() {
    assertFalse(Canary.deserialized, "no faultCause was deserialized");
    assertEquals(0, bait.connections(), "no DTD, entity or redirect target was fetched");
    assertNull(apiFailure.get());
    System.out.println("hostile-commands: slowest API answer so far " + slowestApiMs.get() + " ms");
    assertTrue(slowestApiMs.get() < 1000, "the API answered within " + slowestApiMs.get() + " ms throughout");
    assertEquals(hostile.size() + 3, HubApi.count(hub, "tag.suite=" + SUITE), "the API answers after each test");
    if (baseline == null) {
      baseline = ProcessHealth.now();
    }
  }

  /** Threads, descriptors and memory back near where they were after the first test (before the cluster stops). */
  private static void assertBackToBaseline() {
    if (baseline != null) {
      ProcessHealth after = ProcessHealth.assertBackTo(baseline, 10, 20, 64L << 20, Duration.ofSeconds(30));
      System.out.println("hostile-commands: after the first test " + baseline + ", at the end " + after);
    }
  }

}
