package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.PythonAgentUnderTest;
import dev.sessionhub.agent.testing.PythonInterpreter;
import dev.sessionhub.agent.testing.RawHttp;
import dev.sessionhub.agent.testing.TestPki;
import dev.sessionhub.shared.tls.TrustedCas;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python agent serving https (the ssl module, a PEM certificate and key), under python3 and CPython 2.7:
 * python3's stock client with the CA bundle and the token in the URL is served, without the CA it refuses the
 * certificate, /status says https, and plain http to the port is closed without harming the agent.
 */
class PythonAgentTlsTest {

  private static final String TOKEN = "py-tls-token";
  private static final String CLIENT = "import ssl, sys, xmlrpc.client\n"
      + "ctx = ssl.create_default_context(cafile=sys.argv[2]) if sys.argv[2] != '-' else ssl.create_default_context()\n"
      + "p = xmlrpc.client.ServerProxy('https://hub:" + TOKEN + "@127.0.0.1:%s/' % sys.argv[1], context=ctx)\n"
      + "try:\n"
      + "    print(p.server_data()['port'], p.command('print(6 * 7)').strip())\n"
      + "except ssl.SSLError as e:\n"
      + "    print('refused', e.reason)\n";

  private static String client(int port, String ca) throws Exception {
    Process p = PythonInterpreter.python3().require().builder("-c", CLIENT, String.valueOf(port), ca)
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  private static void servesHttps(PythonInterpreter python, Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);
    try (AgentUnderTest agent = PythonAgentUnderTest.start(python, new AgentOptions().setPort(FreePorts.one())
        .setToken(TOKEN).setTlsCertPath(pki.serverCert().toString()).setTlsKeyPath(pki.serverKey().toString()))) {
      int port = agent.port();
      assertEquals(port + " 42", client(port, pki.ca().toString()));
      assertTrue(client(port, "-").startsWith("refused CERTIFICATE_VERIFY_FAILED"), "no CA, no call");
      HttpClient https = HttpClient.newBuilder().sslContext(TrustedCas.clientContext(pki.ca())).build();
      HttpResponse<String> status = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
          + "/status")).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode(), status.body());
      assertEquals("https://127.0.0.1:" + port + "/", new JsonObject(status.body()).getString("url"));
      int plain;
      try {
        plain = RawHttp.get(port, "/status", "Authorization: Bearer " + TOKEN).status();
      } catch (IOException closed) {
        plain = -1;
      }
      assertNotEquals(200, plain, "plain http to the TLS port is not served");
      assertEquals(port + " 42", client(port, pki.ca().toString()), "the agent serves on after plain http");
    }
  }

  @Test
  void servesHttpsUnderPython3(@TempDir Path dir) throws Exception {
    servesHttps(PythonInterpreter.python3().require(), dir);
  }

  @Test
  void servesHttpsUnderCPython27(@TempDir Path dir) throws Exception {
    servesHttps(PythonInterpreter.cpython27().require(), dir);
  }
}
