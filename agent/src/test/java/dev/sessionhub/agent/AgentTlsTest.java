package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.RawHttp;
import dev.sessionhub.agent.testing.TestHost;
import dev.sessionhub.agent.testing.TestPki;
import dev.sessionhub.shared.tls.TrustedCas;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
 * An agent serving https with a PEM certificate and key: python3's stock {@code xmlrpc.client} calls it with a
 * CA bundle (and is refused without one), {@code /status} reports the https URL, plain http to the TLS port fails
 * without harming the agent, bind-first port selection still works, and bad TLS settings fail with their reason.
 */
class AgentTlsTest {

  private static final String TOKEN = "tls-test-token";

  @TempDir
  static Path dir;
  private static TestPki pki;
  private static Vertx vertx;
  private static TestHost host;
  private static Agent agent;

  @BeforeAll
  static void startTlsAgent() throws Exception {
    pki = TestPki.create(dir);
    vertx = Vertx.vertx();
    host = new TestHost("tls");
    agent = Agent.start(vertx, tls(new AgentOptions().setPort(FreePorts.one()).setToken(TOKEN)), host)
        .await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    agent.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    host.close();
  }

  private static AgentOptions tls(AgentOptions options) {
    return options.setTlsCertPath(pki.serverCert().toString()).setTlsKeyPath(pki.serverKey().toString());
  }

  @Test
  void theUrlAndStatusSayHttps() throws Exception {
    assertEquals("https://127.0.0.1:" + agent.port() + "/", agent.url());
    HttpClient https = HttpClient.newBuilder().sslContext(TrustedCas.clientContext(pki.ca())).build();
    HttpResponse<String> status = https.send(HttpRequest.newBuilder(URI.create(agent.url() + "status"))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, status.statusCode(), status.body());
    JsonObject json = new JsonObject(status.body());
    assertEquals(agent.url(), json.getString("url"));
    assertEquals(agent.port(), json.getInteger("port"));
  }

  @Test
  void python3sStockClientCallsServerDataAndCommandOverHttpsWithTheCa() throws Exception {
    String script = String.join("\n",
        "import ssl, sys, json, xmlrpc.client",
        "ctx = ssl.create_default_context(cafile=sys.argv[2])",
        "p = xmlrpc.client.ServerProxy('https://user:" + TOKEN + "@127.0.0.1:' + sys.argv[1] + '/', context=ctx,",
        "                              allow_none=True)",
        "data = p.server_data()",
        "out = p.command('print(6 * 7)')",
        "try:",
        "    xmlrpc.client.ServerProxy('https://user:" + TOKEN + "@127.0.0.1:' + sys.argv[1] + '/').server_data()",
        "    refused = 'not refused'",
        "except ssl.SSLCertVerificationError as e:",
        "    refused = e.verify_message",
        "print(json.dumps({'exe': data['exe'], 'port': data['port'], 'out': out, 'refused': refused}))",
        "");
    JsonObject result = new JsonObject(python(script, String.valueOf(agent.port()), pki.ca().toString()));
    assertEquals("testapp-bin", result.getString("exe"));
    assertEquals(agent.port(), result.getInteger("port"));
    assertEquals("42\n", result.getString("out"));
    assertTrue(result.getString("refused").contains("unable to get local issuer certificate"),
        "without the CA python3 refuses the agent: " + result);
  }

  @Test
  void plainHttpToTheTlsPortFailsAndTheAgentKeepsServing() throws Exception {
    String answer;
    try {
      RawHttp.Response response = RawHttp.get(agent.port(), "/status");
      answer = "HTTP " + response.status();
    } catch (IOException closed) {
      answer = "closed: " + closed;
    }
    assertTrue(!answer.startsWith("HTTP 200"), "plain http is not served: " + answer);
    HttpClient https = HttpClient.newBuilder().sslContext(TrustedCas.clientContext(pki.ca())).build();
    HttpResponse<String> status = https.send(HttpRequest.newBuilder(URI.create(agent.url() + "status"))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, status.statusCode());
  }

  @Test
  void bindFirstPortSelectionWorksWithTls() throws Exception {
    int base = FreePorts.range(5);
    Agent first = Agent.start(vertx, tls(new AgentOptions().setBasePort(base).setMaxPort(base + 4)), host)
        .await(30, TimeUnit.SECONDS);
    Agent second = Agent.start(vertx, tls(new AgentOptions().setBasePort(base).setMaxPort(base + 4)), host)
        .await(30, TimeUnit.SECONDS);
    try {
      assertEquals(base, first.port());
      assertNotEquals(first.port(), second.port());
      assertTrue(second.url().startsWith("https://"), second.url());
    } finally {
      first.close().await(10, TimeUnit.SECONDS);
      second.close().await(10, TimeUnit.SECONDS);
    }
    Poll.until(Duration.ofSeconds(10), "the port is released on close", () -> FreePorts.isFree(base));
  }

  @Test
  void aKeyThatDoesNotLoadFailsWithItsReasonNotNoFreePort() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello\n");
    int base = FreePorts.range(3);
    AgentOptions options = new AgentOptions().setBasePort(base).setMaxPort(base + 2)
        .setTlsCertPath(pki.serverCert().toString()).setTlsKeyPath(notAKey.toString());
    Exception failure = assertThrows(Exception.class,
        () -> Agent.start(vertx, options, host).await(30, TimeUnit.SECONDS));
    assertTrue(failure.getMessage().contains("could not be loaded"), failure.toString());
    assertTrue(failure.getMessage().contains(notAKey.toString()), failure.toString());
  }

  @Test
  void tlsNeedsBothCertificateAndKeyAndReadableFiles() {
    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> new AgentOptions().setTlsCertPath(pki.serverCert().toString()).validate());
    assertTrue(half.getMessage().contains("--tls-cert and --tls-key"), half.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new AgentOptions().setHubCaPath(dir.resolve("nope.pem").toString()).validate());
    assertTrue(missing.getMessage().contains("hub CA bundle"), missing.getMessage());
  }

  @Test
  void tlsSettingsSurviveTheJsonRoundTrip() {
    AgentOptions options = tls(new AgentOptions()).setHubCaPath(pki.ca().toString());
    AgentOptions back = new AgentOptions(options.toJson());
    assertEquals(pki.serverCert().toString(), back.getTlsCertPath());
    assertEquals(pki.serverKey().toString(), back.getTlsKeyPath());
    assertEquals(pki.ca().toString(), back.getHubCaPath());
    assertTrue(back.isTls());
    assertTrue(!new AgentOptions().isTls());
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
