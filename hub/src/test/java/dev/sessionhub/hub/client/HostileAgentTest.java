package dev.sessionhub.hub.client;

import static dev.sessionhub.hub.client.Await.failure;
import static dev.sessionhub.hub.client.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.client.AgentCallException.Kind;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted hostile server: every misbehaviour ends in the right {@link Kind}, within the
 * call's timeout, and afterwards the same client (with a single worker, so a stuck worker would show) still
 * serves a normal call to a real agent.
 */
class HostileAgentTest {

  private static final Duration SHORT = Duration.ofMillis(1500);
  private static final Duration T = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static RealAgent agent;

  private ApacheAgentClient client;
  private HostileServer hostile;

  @BeforeAll
  static void startAgent() throws Exception {
    vertx = Vertx.vertx();
    agent = RealAgent.start(vertx, new AgentOptions());
  }

  @AfterAll
  static void stopAgent() throws Exception {
    agent.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws IOException {
    client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1).setToken("tok"));
    hostile = HostileServer.start(HostileServer.silent());
  }

  @AfterEach
  void afterEachHostileCaseARealAgentStillAnswers() throws Exception {
    try {
      assertEquals("testapp-bin", result(client.serverData(agent.url())).get("exe"));
    } finally {
      client.close();
      hostile.close();
    }
  }

  private AgentCallException fails(HostileServer.Script script, Duration timeout) throws Exception {
    hostile.script(script);
    return failure(client.call(hostile.url(), "server_data", List.of(), timeout));
  }

  private static void assertKind(Kind kind, AgentCallException e) {
    assertEquals(kind, e.kind(), () -> "got " + e);
  }

  @Test
  void requestsHaveContentLengthUserAgentAndBasicAuthAndOnlyInteropTypes() throws Exception {
    hostile.script(HostileServer.value("<string>ok</string>"));
    assertEquals("ok", result(client.call(hostile.url(), "command",
        List.of(7L, 8_589_934_592L, Map.of("k", List.of(1L))), T)));
    HostileServer.Request request = hostile.requests().get(0);
    assertTrue(request.head().startsWith("POST / HTTP/1.1\r\n"), request.head());
    assertEquals(String.valueOf(request.body().length), request.header("Content-Length"));
    assertNull(request.header("Transfer-Encoding"), "never chunked: HTTP/1.0 agents answer chunked with 500");
    assertEquals("sessionhub-hub/0.1.0", request.header("User-Agent"));
    assertEquals("Basic " + Base64.getEncoder().encodeToString("sessionhub:tok".getBytes(
        StandardCharsets.UTF_8)), request.header("Authorization"));
    String body = request.text();
    assertTrue(body.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), body);
    assertTrue(body.contains("<methodName>command</methodName>"), body);
    assertTrue(body.contains("<value><i4>7</i4></value>") || body.contains("<value><int>7</int></value>"), body);
    assertTrue(body.contains("<value>8589934592</value>"), "a long beyond 32 bits goes as a string: " + body);
    assertFalse(body.contains("i8") || body.contains("ex:"), "no extension types: " + body);
  }

  @Test
  void nilAndI8AreReadWithoutExtensions() throws Exception {
    hostile.script(HostileServer.value("<struct>"
        + "<member><name>none</name><value><nil/></value></member>"
        + "<member><name>big</name><value><i8>1099511627776</i8></value></member>"
        + "<member><name>list</name><value><array><data><value><nil/></value><value><i8>-5</i8></value>"
        + "</data></array></value></member></struct>"));
    Map<String, Object> data = result(client.serverData(hostile.url()));
    assertTrue(data.containsKey("none"));
    assertNull(data.get("none"));
    assertEquals(1_099_511_627_776L, data.get("big"));
    assertArrayEquals(new Object[] {null, -5L}, (Object[]) data.get("list"));
  }

  @Test
  void theExtensionNamespaceFormsOfNilAndI8AreReadToo() throws Exception {
    hostile.script(HostileServer.xml("<?xml version=\"1.0\"?><methodResponse "
        + "xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"><params><param><value><array><data>"
        + "<value><ex:nil/></value><value><ex:i8>9000000000</ex:i8></value></data></array></value></param>"
        + "</params></methodResponse>"));
    assertArrayEquals(new Object[] {null, 9_000_000_000L},
        (Object[]) result(client.call(hostile.url(), "x", List.of(), T)));
  }

  @Test
  void otherExtensionTypesStayRefused() throws Exception {
    AgentCallException e = fails(HostileServer.xml("<?xml version=\"1.0\"?><methodResponse "
        + "xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"><params><param><value>"
        + "<ex:serializable>" + Canary.serializedBase64() + "</ex:serializable></value></param></params>"
        + "</methodResponse>"), T);
    assertKind(Kind.PROTOCOL, e);
    assertFalse(Canary.deserialized);
  }

  @Test
  void aFaultWithASerializedCauseIsCodeAndMessageOnly() throws Exception {
    Canary.deserialized = false;
    AgentCallException e = fails(HostileServer.xml(Canary.faultWithCause()), T);
    assertKind(Kind.FAULT, e);
    assertEquals(42, e.faultCode());
    assertEquals("boom", e.getMessage());
    assertNull(e.getCause());
    assertFalse(Canary.deserialized, "faultCause must never be deserialized");
  }

  @Test
  void aDoctypeIsRefusedAndItsExternalDtdNeverFetched() throws Exception {
    try (HostileServer bait = HostileServer.start(HostileServer.xml("<!ENTITY x 'y'>"))) {
      AgentCallException e = fails(HostileServer.xml("<?xml version=\"1.0\"?>"
          + "<!DOCTYPE methodResponse SYSTEM \"http://127.0.0.1:" + bait.port() + "/evil.dtd\">"
          + "<methodResponse><params><param><value><string>x</string></value></param></params></methodResponse>"),
          T);
      assertKind(Kind.PROTOCOL, e);
      assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
      AgentCallException entity = fails(HostileServer.xml("<?xml version=\"1.0\"?>"
          + "<!DOCTYPE m [<!ENTITY e SYSTEM \"http://127.0.0.1:" + bait.port() + "/e\">]>"
          + "<methodResponse><params><param><value><string>&e;</string></value></param></params>"
          + "</methodResponse>"), T);
      assertKind(Kind.PROTOCOL, entity);
      assertTrue(entity.getMessage().contains("DOCTYPE"), "refused as a DOCTYPE, before its subset is read: "
          + entity.getMessage());
      assertEquals(0, bait.connections(), "the bait server must never be contacted");
    }
  }

  @Test
  void anEndlessBodyIsCutAtTheSizeLimit() throws Exception {
    AgentCallException e = fails(HostileServer.endless(), T);
    assertKind(Kind.PROTOCOL, e);
    assertEquals("response exceeds 4194304 bytes", e.getMessage());
  }

  @Test
  void aTenMebibyteAnswerIsRefused() throws Exception {
    AgentCallException e = fails(HostileServer.huge(10 << 20), T);
    assertKind(Kind.PROTOCOL, e);
    assertEquals("response exceeds 4194304 bytes", e.getMessage());
  }

  @Test
  void aServerThatNeverAnswersTimesOutOnTime() throws Exception {
    long start = System.nanoTime();
    AgentCallException e = fails(HostileServer.silent(), SHORT);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertKind(Kind.TIMEOUT, e);
    assertEquals("no answer from " + hostile.url() + " within 1500 ms", e.getMessage());
    assertTrue(tookMs >= 1400 && tookMs < 3000, "took " + tookMs + " ms");
    Poll.until(Duration.ofSeconds(5), "the client lets go of the silent connection",
        () -> hostile.clientHangups() == 1);
  }

  @Test
  void aTricklingServerDoesNotHoldTheWorkerBeyondTheTimeout() throws Exception {
    long start = System.nanoTime();
    AgentCallException e = fails(HostileServer.trickle(Duration.ofMillis(100)), SHORT);
    assertKind(Kind.TIMEOUT, e);
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3000));
    Poll.until(Duration.ofSeconds(3), "the worker drops the trickling connection",
        () -> hostile.clientHangups() == 1);
  }

  @Test
  void aServerThatTricklesItsHeadersIsCutAtTheDeadline() throws Exception {
    long start = System.nanoTime();
    AgentCallException e = fails(HostileServer.trickleHeaders(Duration.ofMillis(100)), SHORT);
    assertKind(Kind.TIMEOUT, e);
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3000));
    Poll.until(Duration.ofSeconds(3), "the deadline cuts the connection", () -> hostile.clientHangups() == 1);
  }

  @Test
  void endlessHeadersAreRefused() throws Exception {
    // The JDK caps response headers (jdk.http.maxHeaderSize, 384 KiB, since 17.0.11).
    byte[] line = ("X-Junk: " + "j".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    assertKind(Kind.PROTOCOL, fails((socket, request) -> {
      socket.getOutputStream().write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
      while (true) {
        socket.getOutputStream().write(line);
      }
    }, T));
  }

  @Test
  void aServerThatNeverReadsALargeRequestDoesNotHoldTheWorker() throws Exception {
    // Never accepted, never read: the kernel completes the handshake, then the socket buffers fill up.
    try (ServerSocket deaf = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String code = "#".repeat(32 << 20);
      long start = System.nanoTime();
      AgentCallException e = failure(client.call("http://127.0.0.1:" + deaf.getLocalPort() + "/", "command",
          List.of(code), SHORT));
      assertKind(Kind.TIMEOUT, e);
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3000));
      assertEquals("testapp-bin", result(client.serverData(agent.url())).get("exe"),
          "the only worker is free again while the deaf server still holds the connection");
    }
  }

  @Test
  void htmlIsAProtocolError() throws Exception {
    assertKind(Kind.PROTOCOL, fails(HostileServer.raw(HostileServer.http(200, "text/html",
        "<html><body><h1>Router login</h1><br></body></html>".getBytes(StandardCharsets.UTF_8))), T));
  }

  @Test
  void anHttpErrorStatusIsAProtocolError() throws Exception {
    AgentCallException e = fails(HostileServer.raw(HostileServer.http(404, "text/plain",
        "nope".getBytes(StandardCharsets.UTF_8))), T);
    assertKind(Kind.PROTOCOL, e);
    assertEquals("HTTP 404 from " + hostile.url(), e.getMessage());
    assertKind(Kind.PROTOCOL, fails(HostileServer.raw(HostileServer.http(302, "text/plain", new byte[0])), T));
  }

  @Test
  void anSshBannerIsAProtocolError() throws Exception {
    assertKind(Kind.PROTOCOL, fails(HostileServer.sshBanner(), T));
  }

  @Test
  void malformedXmlIsAProtocolError() throws Exception {
    assertKind(Kind.PROTOCOL, fails(HostileServer.xml("<methodResponse><params><param>"), T));
    assertKind(Kind.PROTOCOL, fails(HostileServer.xml("<notXmlRpc/>"), T));
    assertKind(Kind.PROTOCOL, fails(HostileServer.xml("<?xml version=\"1.0\"?><methodResponse><fault><value>"
        + "<struct><member><name>faultCode</name><value><string>x</string></value></member></struct></value>"
        + "</fault></methodResponse>"), T));
  }

  @Test
  void theWorkersReusedParserCarriesNothingFromOneAnswerToTheNext() throws Exception {
    String controlCharacter = "<methodResponse><params><param><value><string>&#x1;</string></value></param>"
        + "</params></methodResponse>";
    AgentCallException fresh = fails(HostileServer.xml("<?xml version=\"1.0\"?>" + controlCharacter), T);
    assertKind(Kind.PROTOCOL, fresh);
    // an XML 1.1 answer (which may carry &#x1;) must not leave the worker's parser reading 1.1 afterwards
    hostile.script(HostileServer.xml("<?xml version=\"1.1\"?>" + controlCharacter));
    try {
      client.call(hostile.url(), "server_data", List.of(), T).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException eitherWay) {
      // whatever the 1.1 answer gives, the next 1.0 answer must be read by the 1.0 rules
    }
    assertKind(Kind.PROTOCOL, fails(HostileServer.xml("<?xml version=\"1.0\"?>" + controlCharacter), T));
    hostile.script(HostileServer.xml("<?xml version=\"1.0\"?><methodResponse><params><param><value><string>ok"
        + "</string></value></param></params></methodResponse>"));
    assertEquals("ok", result(client.call(hostile.url(), "server_data", List.of(), T)));
  }

  @Test
  void deepNestingIsRefusedBeforeItExhaustsTheStack() throws Exception {
    int depth = 20_000;
    String open = "<value><array><data>".repeat(depth);
    String close = "</data></array></value>".repeat(depth);
    assertKind(Kind.PROTOCOL, fails(HostileServer.xml("<?xml version=\"1.0\"?><methodResponse><params><param>"
        + open + close + "</param></params></methodResponse>"), T));
  }

  @Test
  void aGzipBodyIsNeverInflated() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write("<?xml version=\"1.0\"?><methodResponse><params><param><value><string>hi</string></value></param>"
          .getBytes(StandardCharsets.UTF_8));
    }
    byte[] body = zipped.toByteArray();
    byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\nContent-Length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    assertKind(Kind.PROTOCOL, fails(HostileServer.raw(all), T));
  }

  @Test
  void serverDataThatIsNotAStructIsAProtocolError() throws Exception {
    hostile.script(HostileServer.value("<string>hello</string>"));
    AgentCallException e = failure(client.serverData(hostile.url()));
    assertKind(Kind.PROTOCOL, e);
    assertTrue(e.getMessage().contains("not a struct"), e.getMessage());
  }

  @Test
  void aResetIsUnreachable() throws Exception {
    assertKind(Kind.UNREACHABLE, fails(HostileServer.reset(), T));
  }

  @Test
  void aConnectionClosedWithoutAnswerIsUnreachableAndThePostIsNeverResent() throws Exception {
    assertKind(Kind.UNREACHABLE, fails((socket, request) -> { }, T));
    assertEquals(1, hostile.connections(), "HttpURLConnection must not silently re-send the POST");
    assertEquals(1, hostile.requests().size());
  }

  @Test
  void aHostThatNeverCompletesTheConnectIsUnreachable() throws Exception {
    // A listener with a full accept backlog makes the kernel drop further SYNs: the connect hangs like a dead host.
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ApacheAgentClient quick = new ApacheAgentClient(vertx,
            new AgentClientOptions().setConnectTimeout(Duration.ofMillis(300)))) {
      for (int i = 0; i < 8; i++) {
        Socket s = new Socket();
        fillers.add(s);
        try {
          s.connect(full.getLocalSocketAddress(), 100);
        } catch (SocketTimeoutException backlogFull) {
          break;
        }
      }
      long start = System.nanoTime();
      AgentCallException e = failure(quick.call("http://127.0.0.1:" + full.getLocalPort() + "/", "server_data",
          List.of(), T));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertKind(Kind.UNREACHABLE, e);
      assertEquals("no connection to 127.0.0.1:" + full.getLocalPort() + " within 300 ms", e.getMessage());
      assertTrue(tookMs >= 250 && tookMs < 2000, "took " + tookMs + " ms");
    } finally {
      for (Socket s : fillers) {
        s.close();
      }
    }
  }
}
