package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.RawHttp;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's guards over real sockets: the audit log records who ran what where and how it ended (and refusals,
 * never the token); open discovery opens inventory reads only; per-client rate limits answer 429 with
 * Retry-After to the client over its rate while another client is served.
 */
class HubGuardsTest {

  private static final String TOKEN = "guards-token-" + Long.toHexString(System.nanoTime());

  @TempDir
  static Path dir;

  private static HubCluster cluster;
  private static Agents agents;
  private static Agent agent;
  private static String closedHub;
  private static String openHub;
  private static String limitedHub;

  @BeforeAll
  static void start() throws Exception {
    int base = FreePorts.range(2);
    agents = new Agents();
    agent = agents.start(new AgentOptions().setBasePort(base).setMaxPort(base + 1).setName("audited")
        .setToken(TOKEN));
    cluster = HubCluster.start(1, o -> o.setToken(TOKEN).addScanTarget("127.0.0.1:" + base + "-" + (base + 1))
        .setScanInterval(Duration.ofMillis(300)).setLease(Duration.ofSeconds(5))
        .setAuditLog(dir.resolve("audit/hub.jsonl").toString()));
    closedHub = cluster.node(0).url();
    openHub = cluster.add(o -> o.setToken(TOKEN).setOpenDiscovery(true)).url();
    limitedHub = cluster.add(o -> o.setToken(TOKEN).setRateLimit(2).setRateBurst(5)).url();
    Poll.until(Duration.ofSeconds(20), "the agent in the inventory", () -> count(closedHub) == 1);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    agents.close();
  }

  @Test
  void auditLogRecordsWhoRanWhatWhereAndHowItEnded() throws Exception {
    String script = "import xmlrpc.client, sys\n"
        + "url = sys.argv[1].replace('http://', 'http://pipeline:' + sys.argv[2] + '@') + '/RPC2'\n"
        + "hub = xmlrpc.client.ServerProxy(url, allow_none=True)\n"
        + "print(hub.hub.command(sys.argv[3], 'print(6 * 7)'))\n";
    Process p = new ProcessBuilder("python3", "-c", script, closedHub, TOKEN, "127.0.0.1:" + agent.port())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertEquals("42", out.strip());
    assertEquals(401, RawHttp.post(port(closedHub), "/api/broadcast",
        "{\"selector\":\"\",\"code\":\"print(1)\"}".getBytes(StandardCharsets.UTF_8),
        "Authorization: Bearer not-" + TOKEN).status());

    Path file = dir.resolve("audit/hub.jsonl");
    Poll.until(Duration.ofSeconds(10), "job.finished in the audit log: " + file + " " + lines(file),
        () -> lines(file).stream().anyMatch(l -> l.contains("\"job.finished\"")));
    List<String> lines = lines(file);
    JsonObject started = find(lines, "job.started");
    assertEquals("route", started.getString("kind"));
    assertEquals("xml-rpc", started.getString("channel"));
    assertEquals("127.0.0.1", started.getString("remote"));
    assertTrue(started.getBoolean("authenticated"));
    assertEquals("127.0.0.1:" + agent.port(), started.getString("session"));
    assertEquals("print(6 * 7)", started.getString("code"));
    assertEquals(64, started.getString("code_sha256").length());
    JsonObject finished = find(lines, "job.finished");
    assertEquals(started.getString("job"), finished.getString("job"));
    assertEquals("ok", finished.getJsonArray("results").getJsonObject(0).getString("state"));
    assertEquals(1, finished.getJsonObject("counts").getInteger("ok"));
    Poll.until(Duration.ofSeconds(10), "the refusal in the audit log",
        () -> lines(file).stream().anyMatch(l -> l.contains("\"wrong token\"")));
    JsonObject refused = lines(file).stream().map(JsonObject::new)
        .filter(j -> "wrong token".equals(j.getString("reason"))).findFirst().orElseThrow();
    assertEquals("request.refused", refused.getString("event"));
    assertEquals(401, refused.getInteger("status"));
    assertEquals("/api/broadcast", refused.getString("path"));
    assertEquals("127.0.0.1", refused.getString("remote"));
    assertFalse(Files.readString(file).contains(TOKEN), "the token never reaches the audit log");
  }

  @Test
  void openDiscoveryOpensInventoryReadsOnly() throws Exception {
    Poll.until(Duration.ofSeconds(20), "the open hub sees the agent", () -> count(openHub) == 1);
    int open = port(openHub);
    assertEquals(200, RawHttp.get(open, "/api/sessions").status());
    assertEquals(200, RawHttp.get(open, "/api/cluster").status());
    assertEquals(200, RawHttp.get(open, "/api/sessions/127.0.0.1:" + agent.port()).status());
    assertEquals(401, RawHttp.get(open, "/api/jobs").status());
    assertEquals(401, RawHttp.post(open, "/api/broadcast", "{\"code\":\"print(1)\"}".getBytes(
        StandardCharsets.UTF_8)).status());
    assertEquals(401, RawHttp.post(open, "/api/sessions/127.0.0.1:" + agent.port() + "/command",
        "{\"code\":\"print(1)\"}".getBytes(StandardCharsets.UTF_8)).status());
    assertTrue(RawHttp.post(open, "/RPC2", call("hub.sessions", "<param><value><string></string></value></param>")).text()
        .contains("audited"));
    assertEquals(401, RawHttp.post(open, "/RPC2", call("hub.broadcast",
        "<param><value><string></string></value></param><param><value><string>print(1)</string></value></param>"))
        .status());
    assertEquals(401, RawHttp.post(open, "/RPC2", call("system.multicall", "<param><value><array><data><value><struct>"
        + "<member><name>methodName</name><value><string>hub.broadcast</string></value></member>"
        + "</struct></value></data></array></value></param>")).status());
    assertEquals(401, RawHttp.post(open, "/RPC2", call("hub.register", "<param><value><struct></struct></value></param>"))
        .status());
    // the same reads stay closed on a hub without the flag
    assertEquals(401, RawHttp.get(port(closedHub), "/api/sessions").status());
    assertEquals(401, RawHttp.post(port(closedHub), "/RPC2", call("hub.sessions",
        "<param><value><string></string></value></param>")).status());
    // and with the token everything is there
    assertEquals(200, RawHttp.get(open, "/api/jobs", "Authorization: Bearer " + TOKEN).status());
  }

  @Test
  void aClientOverItsRateGets429WhileAnotherIsServed() throws Exception {
    int port = port(limitedHub);
    int refused = 0;
    String retryAfter = null;
    for (int i = 0; i < 20; i++) {
      RawHttp.Response r = RawHttp.get(port, "/api/cluster", "Authorization: Bearer " + TOKEN);
      if (r.status() == 429) {
        refused++;
        retryAfter = header(r, "Retry-After");
        assertTrue(r.text().contains("too_many_requests"), r.text());
      } else {
        assertEquals(200, r.status());
      }
    }
    assertTrue(refused >= 10, "20 requests at 2/s with a burst of 5: at least 10 refused, got " + refused);
    assertNotNull(retryAfter);
    assertTrue(Integer.parseInt(retryAfter) >= 1);
    // another client address (127.0.0.2 on the loopback) has its own budget
    assertEquals(200, getFrom("127.0.0.2", port, "/api/cluster"));
    // and the first client gets back in once its bucket refills
    Poll.until(Duration.ofSeconds(10), "the limited client served again",
        () -> status(port, "/api/cluster") == 200);
  }

  private static int status(int port, String path) {
    try {
      return RawHttp.get(port, path, "Authorization: Bearer " + TOKEN).status();
    } catch (IOException e) {
      return -1;
    }
  }

  private static int getFrom(String localAddress, int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(localAddress, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
          + Base64.getEncoder().encodeToString(("x:" + TOKEN).getBytes(StandardCharsets.UTF_8))
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      return RawHttp.read(in).status();
    }
  }

  private static String header(RawHttp.Response r, String name) {
    for (String line : r.headers().split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  private static byte[] call(String method, String params) {
    return ("<?xml version=\"1.0\"?><methodCall><methodName>" + method + "</methodName><params>" + params
        + "</params></methodCall>").getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject find(List<String> lines, String event) {
    return lines.stream().map(JsonObject::new).filter(j -> event.equals(j.getString("event"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + event + " in " + lines));
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int count(String hub) {
    try {
      RawHttp.Response r = RawHttp.get(port(hub), "/api/sessions", "Authorization: Bearer " + TOKEN);
      return r.status() == 200 ? new JsonObject(r.text()).getInteger("count") : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }
}
