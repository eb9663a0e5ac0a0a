package dev.sessionhub.hub.client;

import static dev.sessionhub.hub.client.Await.failure;
import static dev.sessionhub.hub.client.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.TestPki;
import dev.sessionhub.hub.client.AgentCallException.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's agent client against https agents: a trusted certificate works (server_data and command); an
 * untrusted CA, a certificate for another host, or an agent that does not speak TLS each fail as {@link
 * Kind#UNREACHABLE} with the reason and nothing re-sent over http; the hardening (Content-Length bodies, size cap,
 * deadlines, including a handshake that never completes) holds over TLS too.
 */
class TlsAgentClientTest {

  private static final Duration T = Duration.ofSeconds(10);

  @TempDir
  static Path dir;
  private static TestPki pki;
  private static Vertx vertx;
  private static RealAgent tlsAgent;
  private static RealAgent plainAgent;
  private static RealAgent elsewhereAgent;
  private static SSLContext serverContext;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    vertx = Vertx.vertx();
    tlsAgent = RealAgent.start(vertx, new AgentOptions().setTlsCertPath(pki.serverCert().toString())
        .setTlsKeyPath(pki.serverKey().toString()));
    elsewhereAgent = RealAgent.start(vertx, new AgentOptions().setTlsCertPath(pki.elsewhereCert().toString())
        .setTlsKeyPath(pki.elsewhereKey().toString()));
    plainAgent = RealAgent.start(vertx, new AgentOptions());
    serverContext = SSLContext.getInstance("TLS");
    serverContext.init(new PemKeyCertOptions().setCertPath(pki.serverCert().toString())
        .setKeyPath(pki.serverKey().toString()).getKeyManagerFactory(vertx).getKeyManagers(), null, null);
  }

  @AfterAll
  static void stop() throws Exception {
    tlsAgent.close();
    elsewhereAgent.close();
    plainAgent.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static ApacheAgentClient client(Path ca) {
    return new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1).setToken("tok")
        .setCaPath(ca == null ? null : ca.toString()));
  }

  @Test
  void aTrustedAgentAnswersServerDataAndCommandOverHttps() throws Exception {
    ApacheAgentClient client = client(pki.ca());
    try {
      assertTrue(tlsAgent.url().startsWith("https://127.0.0.1:"), tlsAgent.url());
      assertEquals("testapp-bin", result(client.serverData(tlsAgent.url())).get("exe"));
      assertEquals("2\n", result(client.call(tlsAgent.url(), "command", List.<Object>of("print(1 + 1)"), T)));
    } finally {
      client.close();
    }
  }

  @Test
  void aCertificateFromAnotherCaIsUnreachableAndSaysItIsNotTrusted() throws Exception {
    ApacheAgentClient client = client(pki.otherCa());
    try {
      AgentCallException e = failure(client.serverData(tlsAgent.url()));
      assertEquals(Kind.UNREACHABLE, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("TLS certificate of 127.0.0.1:" + tlsAgent.port() + " is not trusted"),
          e.getMessage());
      assertTrue(e.getMessage().contains("the CAs in " + pki.otherCa()), e.getMessage());
    } finally {
      client.close();
    }
  }

  @Test
  void withoutACaBundleTheJdksTrustStoreDecides() throws Exception {
    ApacheAgentClient client = client(null);
    try {
      AgentCallException e = failure(client.call(tlsAgent.url(), "command", List.<Object>of("print(1)"), T));
      assertEquals(Kind.UNREACHABLE, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("not trusted (checked against the JDK's default trusted CAs"),
          e.getMessage());
    } finally {
      client.close();
    }
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
    ApacheAgentClient client = client(pki.ca());
    try {
      AgentCallException e = failure(client.serverData(elsewhereAgent.url()));
      assertEquals(Kind.UNREACHABLE, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("is not trusted") && e.getMessage().contains("127.0.0.1"),
          e.getMessage());
    } finally {
      client.close();
    }
  }

  @Test
  void httpsToAPlainAgentFailsAndIsNeverRetriedOverHttp() throws Exception {
    ApacheAgentClient client = client(pki.ca());
    try {
      String https = plainAgent.url().replace("http://", "https://");
      AgentCallException e = failure(client.call(https, "command", List.<Object>of("print(1)"), T));
      assertEquals(Kind.UNREACHABLE, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("TLS handshake with 127.0.0.1:" + plainAgent.port() + " failed"),
          e.getMessage());
    } finally {
      client.close();
    }
  }

  @Test
  void plainHttpToATlsAgentFailsCleanly() throws Exception {
    ApacheAgentClient client = client(pki.ca());
    try {
      String http = tlsAgent.url().replace("https://", "http://");
      long start = System.nanoTime();
      AgentCallException e = failure(client.serverData(http));
      assertNotEquals(Kind.TIMEOUT, e.kind(), "the TLS port closes at once: " + e);
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0, e.toString());
      assertEquals("testapp-bin", result(client.serverData(tlsAgent.url())).get("exe"), "the agent still serves");
    } finally {
      client.close();
    }
  }

  @Test
  void overTlsTheBodyHasAContentLengthAndTheTokenTravels() throws Exception {
    ApacheAgentClient client = client(pki.ca());
    try (HostileServer server = HostileServer.startTls(HostileServer.value("<string>ok</string>"), serverContext)) {
      assertEquals("ok", result(client.call(server.httpsUrl(), "command", List.<Object>of("print(1)"), T)));
      HostileServer.Request request = server.requests().get(0);
      assertEquals(String.valueOf(request.body().length), request.header("Content-Length"));
      assertNull(request.header("Transfer-Encoding"));
      assertTrue(request.header("Authorization").startsWith("Basic "), request.head());
      assertTrue(request.text().contains("<methodName>command</methodName>"), request.text());
    } finally {
      client.close();
    }
  }

  @Test
  void overTlsTheSizeCapAndTheDeadlineHold() throws Exception {
    ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1)
        .setMaxResponseBytes(64 * 1024).setCaPath(pki.ca().toString()));
    try (HostileServer server = HostileServer.startTls(HostileServer.huge(1 << 20), serverContext)) {
      AgentCallException big = failure(client.call(server.httpsUrl(), "server_data", List.of(), T));
      assertEquals(Kind.PROTOCOL, big.kind(), big.toString());

      server.script(HostileServer.silent());
      long start = System.nanoTime();
      AgentCallException silent = failure(client.call(server.httpsUrl(), "server_data", List.of(),
          Duration.ofMillis(1500)));
      assertEquals(Kind.TIMEOUT, silent.kind(), silent.toString());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    } finally {
      client.close();
    }
  }

  @Test
  void aHandshakeThatNeverCompletesEndsAtTheDeadlineAndFreesTheWorker() throws Exception {
    ApacheAgentClient client = client(pki.ca());
    try (HostileServer mute = HostileServer.start(HostileServer.silent())) {
      long start = System.nanoTime();
      AgentCallException e = failure(client.call(mute.httpsUrl(), "server_data", List.of(),
          Duration.ofMillis(1500)));
      assertEquals(Kind.TIMEOUT, e.kind(), e.toString());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
      assertEquals("testapp-bin", result(client.serverData(tlsAgent.url())).get("exe"),
          "the single worker is free again");
    } finally {
      client.close();
    }
  }
}
