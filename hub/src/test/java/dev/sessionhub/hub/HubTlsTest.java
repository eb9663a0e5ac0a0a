package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.RawHttp;
import dev.sessionhub.agent.testing.TestPki;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import dev.sessionhub.hub.HubStatus;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubCluster;
import dev.sessionhub.shared.tls.TrustedCas;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub serving https (REST, SSE, XML-RPC, dashboard) with {@code agentTls}: it finds a TLS agent by scanning
 * and runs a command on it, takes an announcement from a TLS agent over verified https (whose Python then calls
 * the hub back over https), answers python3's stock client, and refuses plain http. A second hub that trusts a
 * different CA finds nothing, reports commands to an announced TLS agent as {@code unreachable} with the reason,
 * and keeps working.
 */
class HubTlsTest {

  private static final String TOKEN = "hub-tls-token";
  private static final Duration INTERVAL = Duration.ofMillis(400);

  @TempDir
  static Path dir;
  private static TestPki pki;
  private static Agents agents;
  private static HubCluster trusting;
  private static HubCluster mistrusting;
  private static Agent scanned;
  private static int base;
  private static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    https = HttpClient.newBuilder().sslContext(TrustedCas.clientContext(pki.ca()))
        .connectTimeout(Duration.ofSeconds(5)).build();
    agents = new Agents();
    base = FreePorts.range(5);
    scanned = agents.start(agentTls(new AgentOptions().setBasePort(base).setMaxPort(base + 4)));
    String targets = "127.0.0.1:" + base + "-" + (base + 4);
    trusting = HubCluster.start(1, o -> o.setToken(TOKEN).setTlsCertPath(pki.serverCert().toString())
        .setTlsKeyPath(pki.serverKey().toString()).setAgentTls(true).setAgentCaPath(pki.ca().toString())
        .addScanTarget(targets).setScanInterval(INTERVAL).setLease(Duration.ofSeconds(5)));
    mistrusting = HubCluster.start(1, o -> o.setToken(TOKEN).setAgentTls(true)
        .setAgentCaPath(pki.otherCa().toString()).addScanTarget(targets).setScanInterval(INTERVAL)
        .setLease(Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      agents.close();
    } finally {
      if (trusting != null) {
        trusting.close();
      }
      if (mistrusting != null) {
        mistrusting.close();
      }
    }
  }

  private static AgentOptions agentTls(AgentOptions options) {
    return options.setToken(TOKEN).setTlsCertPath(pki.serverCert().toString())
        .setTlsKeyPath(pki.serverKey().toString());
  }

  private static String hubUrl() {
    return trusting.node(0).url();
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject post(HttpClient client, String url, JsonObject body) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static JsonObject session(HttpClient client, String hub, String address) {
    try {
      HttpResponse<String> r = get(client, hub + "/api/sessions/" + address);
      return r.statusCode() == 200 ? new JsonObject(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String address(Agent agent) {
    return "127.0.0.1:" + agent.port();
  }

  @Test
  void theHubScansATlsAgentOverHttpsAndRunsACommandOnIt() throws Exception {
    assertTrue(hubUrl().startsWith("https://127.0.0.1:"), hubUrl());
    Poll.until(Duration.ofSeconds(20), "the TLS agent is in the inventory",
        () -> session(https, hubUrl(), address(scanned)) != null);
    JsonObject record = session(https, hubUrl(), address(scanned));
    assertEquals("https://127.0.0.1:" + scanned.port() + "/", record.getString("url"));
    assertEquals("scan", record.getString("source"));
    JsonObject job = post(https, hubUrl() + "/api/sessions/" + address(scanned) + "/command",
        new JsonObject().put("code", "print(6 * 7)"));
    JsonObject result = job.getJsonArray("results").getJsonObject(0);
    assertEquals("ok", result.getString("state"), result.encode());
    assertEquals("42\n", result.getString("output"));
  }

  @Test
  void theDashboardAndTheEventStreamAreServedOverHttps() throws Exception {
    HttpResponse<String> page = get(https, hubUrl() + "/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<html") || page.body().contains("<!doctype"), page.body());
    HttpResponse<InputStream> events = https.send(HttpRequest.newBuilder(URI.create(hubUrl() + "/api/events"))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, events.statusCode());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
      assertEquals(": sessionhub events", lines.readLine());
    }
  }

  @Test
  void anAnnouncedTlsAgentRegistersOverVerifiedHttpsAndItsPythonCallsTheHubBack() throws Exception {
    Agent announced = agents.start(agentTls(new AgentOptions().setPort(FreePorts.one()).setHubUrl(hubUrl())
        .setHubCaPath(pki.ca().toString())));
    try {
      Poll.until(Duration.ofSeconds(20), "the announced agent is in the inventory",
          () -> session(https, hubUrl(), address(announced)) != null);
      JsonObject record = session(https, hubUrl(), address(announced));
      assertEquals("announce", record.getString("source"));
      assertEquals(announced.url(), record.getString("url"));
      JsonObject job = post(https, hubUrl() + "/api/sessions/" + address(announced) + "/command",
          new JsonObject().put("code", "print(sorted(s['address'] for s in hub.sessions('')))"));
      JsonObject result = job.getJsonArray("results").getJsonObject(0);
      assertEquals("ok", result.getString("state"), result.encode());
      assertTrue(result.getString("output").contains(address(announced)), result.encode());
    } finally {
      agents.stop(announced);
    }
  }

  @Test
  void python3sStockClientCallsHubSessionsOverHttps() throws Exception {
    Poll.until(Duration.ofSeconds(20), "the TLS agent is in the inventory",
        () -> session(https, hubUrl(), address(scanned)) != null);
    String script = String.join("\n",
        "import ssl, sys, json, xmlrpc.client",
        "ctx = ssl.create_default_context(cafile=sys.argv[2])",
        "hub = xmlrpc.client.ServerProxy('https://user:" + TOKEN + "@127.0.0.1:' + sys.argv[1] + '/RPC2',",
        "                                context=ctx, allow_none=True)",
        "sessions = hub.hub.sessions('')",
        "try:",
        "    hub.hub.register({'url': 'http://127.0.0.1:1/'})",
        "    refused = 'accepted'",
        "except xmlrpc.client.Fault as f:",
        "    refused = f.faultString",
        "print(json.dumps({'sessions': [[s['address'], s['url']] for s in sessions], 'refused': refused}))",
        "");
    JsonObject out = new JsonObject(python(script, String.valueOf(trusting.node(0).hub().httpPort()),
        pki.ca().toString()));
    assertTrue(out.getJsonArray("sessions").contains(new JsonArray().add(address(scanned))
        .add("https://" + address(scanned) + "/")), out.encode());
    assertTrue(out.getString("refused").contains("https only (--agent-tls)"), out.encode());
  }

  @Test
  void plainHttpToTheTlsHubPortFailsAndTheHubKeepsServing() throws Exception {
    int port = trusting.node(0).hub().httpPort();
    String answer;
    try {
      answer = "HTTP " + RawHttp.get(port, "/api/sessions", "Authorization: Bearer " + TOKEN).status();
    } catch (IOException closed) {
      answer = "closed: " + closed;
    }
    assertTrue(!answer.startsWith("HTTP 200"), answer);
    assertEquals(200, get(https, hubUrl() + "/api/sessions").statusCode());
  }

  @Test
  void aHubTrustingAnotherCaFindsNothingReportsUnreachableAndKeepsWorking() throws Exception {
    HubCluster.Node node = mistrusting.node(0);
    String plainHub = node.url();
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HubStatus status = node.hub().scanNow().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(5, status.portsProbed(), status.toString());
    assertEquals(0, status.sessionsFound(), "no session is found through an untrusted certificate: " + status);
    assertEquals(null, session(plain, plainHub, address(scanned)), "the untrusted agent is not in the inventory");

    Agent announced = agents.start(agentTls(new AgentOptions().setPort(FreePorts.one()).setHubUrl(plainHub)));
    try {
      Poll.until(Duration.ofSeconds(20), "the announced agent is registered",
          () -> session(plain, plainHub, address(announced)) != null);
      JsonObject job = post(plain, plainHub + "/api/sessions/" + address(announced) + "/command",
          new JsonObject().put("code", "print('never')"));
      JsonObject result = job.getJsonArray("results").getJsonObject(0);
      assertEquals("unreachable", result.getString("state"), result.encode());
      assertTrue(result.getString("message").contains("is not trusted (checked against the CAs in "
          + pki.otherCa()), result.encode());
    } finally {
      agents.stop(announced);
    }
    assertEquals(200, get(plain, plainHub + "/api/sessions").statusCode(), "the hub keeps serving");
  }

  @Test
  void aTlsKeyThatDoesNotLoadStopsTheHubWithItsReason() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "nothing\n");
    HubOptions options = new HubOptions().setHttpPort(0).setClusterName("tls-bad-" + System.nanoTime())
        .setHazelcastPort(FreePorts.one()).setTlsCertPath(pki.serverCert().toString())
        .setTlsKeyPath(notAKey.toString());
    HazelcastInstance hazelcast = HazelcastSetup.start(options);
    Vertx vertx = Vertx.vertx();
    try {
      Exception e = assertThrows(Exception.class, () -> Hub.start(vertx, hazelcast, options)
          .await(30, TimeUnit.SECONDS));
      assertTrue(e.getMessage().contains("could not be loaded") && e.getMessage().contains(notAKey.toString()),
          e.toString());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      hazelcast.shutdown();
    }
    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> new HubOptions().setTlsKeyPath(pki.serverKey().toString()).validate());
    assertTrue(half.getMessage().contains("--tls-cert and --tls-key"), half.getMessage());
    HubOptions copy = new HubOptions(new HubOptions().setAgentTls(true).setAgentCaPath(pki.ca().toString()));
    assertTrue(copy.getDiscovery().isAgentTls());
    assertEquals(pki.ca().toString(), copy.getDiscovery().getAgentCaPath());
  }

  private static String python(String script, String... args) throws Exception {
    Path file = Files.writeString(dir.resolve("client-" + System.nanoTime() + ".py"), script);
    List<String> command = new ArrayList<>(List.of("python3", file.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
      try {
        return process.getErrorStream().readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 finished");
    assertEquals(0, process.exitValue(), new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    return out.trim();
  }
}
