package dev.sessionhub.hub.impl.client;

import static dev.sessionhub.hub.impl.client.Await.failure;
import static dev.sessionhub.hub.impl.client.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.TestPki;
import dev.sessionhub.hub.impl.client.AgentCallException.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link AgentClient} must do, written once and run against each implementation (a subclass names
 * it): keep-alive without ever sending a {@code command} twice, hostile agents ending in the right {@link
 * AgentCallException.Kind} within the call's timeout, the bound on calls in flight and waiting, verified TLS, and
 * real agents (SessionHub's own and Python's HTTP/1.0 {@code SimpleXMLRPCServer}) answering. Every server is
 * real, on a loopback port chosen at run time.
 */
abstract class AgentClientContract {

  /** A new client of the implementation under test. */
  protected abstract AgentClient newClient(Vertx vertx, AgentClientOptions options);

  /**
   * Connections to an HTTP/1.1 agent are kept for the next call after a complete answer; an agent that closes
   * after answering (HTTP/1.0, {@code Connection: close}) or drops an idle kept connection costs a new connection,
   * never a failed call.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class KeepAlive {

    private Vertx vertx;

    @BeforeAll
    void start() {
      vertx = Vertx.vertx();
    }

    @AfterAll
    void stop() throws Exception {
      vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void callsToAKeepAliveAgentShareOneConnection() throws Exception {
      try (KeepAliveServer server = new KeepAliveServer(Integer.MAX_VALUE);
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1))) {
        for (int i = 0; i < 5; i++) {
          assertEquals("pong", client.call(server.url(), "ping", List.of(), Duration.ofSeconds(5))
              .await(10, TimeUnit.SECONDS));
        }
        assertEquals(1, server.connections.get(), "five calls over one kept connection");
        assertEquals(5, server.requests.get());
      }
    }

    @Test
    void anAgentThatDropsItsKeptConnectionsStillAnswersEveryPoll() throws Exception {
      // This agent closes after each answer without saying so (no "Connection: close"). A client that has seen
      // the close does not reuse the connection; when the next call is quicker than the close, the request meets a
      // closed connection, and only server_data is sent again (a command would end unreachable, never run twice:
      // aCommandIsNeverSentAgainWhenItsKeptConnectionClosesBeforeAnswering).
      try (KeepAliveServer server = new KeepAliveServer(1);
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1))) {
        for (int i = 0; i < 5; i++) {
          assertEquals("pong", client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(5))
              .await(10, TimeUnit.SECONDS), "call " + i);
        }
        assertEquals(5, server.requests.get(), "each call reached the agent exactly once");
      }
    }

    @Test
    void aCommandIsNeverSentAgainWhenItsKeptConnectionClosesBeforeAnswering() throws Exception {
      try (KeepAliveServer server = new KeepAliveServer(1, true);
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1))) {
        assertEquals("pong", client.call(server.url(), "command", List.of("print(1)"), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS));
        AgentCallException e = failure(client.call(server.url(), "command", List.of("print(2)"), Duration.ofSeconds(5)));
        assertEquals(Kind.NO_ANSWER, e.kind(), e.toString()); // it reached the agent: it may have run
        assertEquals(2, server.requests.get(), "the second command reached the agent once and was not sent again");
        assertEquals(1, server.connections.get(), "no second connection was opened to re-send it");
      }
    }

    @Test
    void serverDataIsAskedAgainOnANewConnectionWhenItsKeptConnectionClosesBeforeAnswering() throws Exception {
      try (KeepAliveServer server = new KeepAliveServer(1, true);
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1))) {
        for (int i = 0; i < 3; i++) {
          assertEquals("pong", client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(5))
              .await(10, TimeUnit.SECONDS), "call " + i);
        }
        assertEquals(3, server.connections.get());
      }
    }

    @Test
    void anIdleConnectionIsClosedOnceItsKeepAliveRunsOut() throws Exception {
      try (KeepAliveServer server = new KeepAliveServer(Integer.MAX_VALUE);
          AgentClient client = newClient(vertx, new AgentClientOptions().setKeepAlive(Duration.ofSeconds(1)))) {
        assertEquals("pong", client.call(server.url(), "ping", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS));
        Poll.until(Duration.ofSeconds(10), "the client closes the idle connection after its keep-alive",
            () -> server.closedByClient.get() == 1);
        assertEquals("pong", client.call(server.url(), "ping", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS));
        assertEquals(2, server.connections.get(), "the next call opens a new connection");
      }
    }

    @Test
    void closingTheClientClosesItsIdleConnections() throws Exception {
      try (KeepAliveServer server = new KeepAliveServer(Integer.MAX_VALUE)) {
        AgentClient client = newClient(vertx, new AgentClientOptions().setKeepAlive(Duration.ofSeconds(60)));
        assertEquals("pong", client.call(server.url(), "ping", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS));
        client.close();
        Poll.until(Duration.ofSeconds(10), "the kept connection is closed with the client",
            () -> server.closedByClient.get() == 1);
      }
    }

    @Test
    void withNoIdleConnectionsAllowedEveryCallHasItsOwnConnection() throws Exception {
      try (KeepAliveServer server = new KeepAliveServer(Integer.MAX_VALUE);
          AgentClient client = newClient(vertx, new AgentClientOptions().setMaxIdleConnections(0))) {
        for (int i = 0; i < 3; i++) {
          assertEquals("pong", client.call(server.url(), "ping", List.of(), Duration.ofSeconds(5))
              .await(10, TimeUnit.SECONDS));
        }
        assertEquals(3, server.connections.get());
      }
    }

    @Test
    void anUnaskedAnswerAfterTheRealOneIsNeverTakenForTheNextCallsAnswer() throws Exception {
      // One write: the answer, then a second, unasked response on the same kept-alive connection. A client that
      // kept the connection would hand "stray" to the next call; it must drop the connection instead.
      String pong = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>pong</string></value>"
          + "</param></params></methodResponse>";
      String stray = pong.replace("pong", "stray");
      try (HostileServer server = HostileServer.start((socket, request) -> {
        socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + pong.length()
            + "\r\n\r\n" + pong + "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + stray.length()
            + "\r\n\r\n" + stray).getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        HostileServer.silent().answer(socket, request);
      });
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1))) {
        for (int i = 0; i < 3; i++) {
          assertEquals("pong", result(client.call(server.url(), "command", List.of("print(1)"),
              Duration.ofSeconds(5))), "call " + i);
        }
        assertEquals(3, server.requests().size(), "each command reached the agent exactly once");
      }
    }

    @Test
    void aChunkedAnswerIsReadAndItsConnectionIsNotKept() throws Exception {
      String xml = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>chunked pong</string>"
          + "</value></param></params></methodResponse>";
      String chunks = Integer.toHexString(10) + ";ext=1\r\n" + xml.substring(0, 10) + "\r\n"
          + Integer.toHexString(xml.length() - 10) + "\r\n" + xml.substring(10) + "\r\n0\r\nX-Trailer: t\r\n\r\n";
      try (HostileServer server = HostileServer.start(HostileServer.raw("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n" + chunks));
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1))) {
        for (int i = 0; i < 2; i++) {
          assertEquals("chunked pong", client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(5))
              .await(10, TimeUnit.SECONDS));
        }
        assertEquals(2, server.connections());
      }
    }

    @Test
    void anHttp10AnswerWithoutALengthIsReadToTheClose() throws Exception {
      String xml = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>old pong</string>"
          + "</value></param></params></methodResponse>";
      try (HostileServer server = HostileServer.start(HostileServer.raw("HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n"
          + "\r\n" + xml));
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1))) {
        assertEquals("old pong", client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(5))
            .await(10, TimeUnit.SECONDS));
      }
    }

    @Test
    void aContentLengthBeyondTheCapIsRefusedBeforeReadingTheBody() throws Exception {
      try (HostileServer server = HostileServer.start(HostileServer.trickle(Duration.ofSeconds(1)));
          AgentClient client = newClient(vertx,
              new AgentClientOptions().setPoolSize(1).setMaxResponseBytes(1000))) {
        long start = System.nanoTime();
        AgentCallException e = failure(client.call(server.url(), "server_data", List.of(), Duration.ofSeconds(20)));
        assertEquals(Kind.PROTOCOL, e.kind());
        assertEquals("response exceeds 1000 bytes", e.getMessage());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 10_000, "refused without reading on");
      }
    }

    /**
     * Answers XML-RPC "pong" over HTTP/1.1 keep-alive; drops each connection after {@code perConnection} answers
     * (with {@code readOneMore}, after reading one more request it never answers).
     */
    private static final class KeepAliveServer implements AutoCloseable {
      final AtomicInteger connections = new AtomicInteger();
      final AtomicInteger requests = new AtomicInteger();
      /** Connections the client closed while the server waited for their next request. */
      final AtomicInteger closedByClient = new AtomicInteger();
      private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

      KeepAliveServer(int perConnection) throws IOException {
        this(perConnection, false);
      }

      KeepAliveServer(int perConnection, boolean readOneMore) throws IOException {
        Thread acceptor = new Thread(() -> {
          while (!socket.isClosed()) {
            try {
              Socket s = socket.accept();
              connections.incrementAndGet();
              Thread t = new Thread(() -> serve(s, perConnection, readOneMore));
              t.setDaemon(true);
              t.start();
            } catch (IOException closed) {
              return;
            }
          }
        });
        acceptor.setDaemon(true);
        acceptor.start();
      }

      String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/RPC2";
      }

      private void serve(Socket s, int perConnection, boolean readOneMore) {
        try (s) {
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          for (int served = 0; served < perConnection; served++) {
            int length = readHead(in);
            if (length < 0) {
              closedByClient.incrementAndGet();
              return;
            }
            in.readNBytes(length);
            requests.incrementAndGet();
            byte[] body = ("<?xml version=\"1.0\"?><methodResponse><params><param><value><string>pong</string>"
                + "</value></param></params></methodResponse>").getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
          }
          if (readOneMore) {
            int length = readHead(in);
            if (length >= 0) {
              in.readNBytes(length);
              requests.incrementAndGet();
            }
          }
        } catch (IOException gone) {
          // the client closed
        }
      }

      /** Reads a request head; returns its Content-Length, or -1 when the client closed. */
      private static int readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
          int b = in.read();
          if (b < 0) {
            return -1;
          }
          head.write(b);
          matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
              ? matched + 1 : b == '\r' ? 1 : 0;
        }
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
          if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
            return Integer.parseInt(line.substring(15).trim());
          }
        }
        return 0;
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }
    }
  }

  /**
   * The client against a scripted hostile server: every misbehaviour ends in the right {@link Kind}, within the
   * call's timeout, and afterwards the same client (with a single call slot, so a stuck call would show) still
   * serves a normal call to a real agent.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class HostileAgents {

    private static final Duration SHORT = Duration.ofMillis(1500);
    private static final Duration T = Duration.ofSeconds(10);

    private Vertx vertx;
    private RealAgent agent;

    private AgentClient client;
    private HostileServer hostile;

    @BeforeAll
    void startAgent() throws Exception {
      vertx = Vertx.vertx();
      agent = RealAgent.start(vertx, new AgentOptions());
    }

    @AfterAll
    void stopAgent() throws Exception {
      agent.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void start() throws IOException {
      client = newClient(vertx, new AgentClientOptions().setPoolSize(1).setToken("tok"));
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
    void aTricklingServerDoesNotHoldTheSlotBeyondTheTimeout() throws Exception {
      long start = System.nanoTime();
      AgentCallException e = fails(HostileServer.trickle(Duration.ofMillis(100)), SHORT);
      assertKind(Kind.TIMEOUT, e);
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3000));
      Poll.until(Duration.ofSeconds(3), "the client drops the trickling connection",
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
    void aServerThatNeverReadsALargeRequestDoesNotHoldTheSlot() throws Exception {
      // Never accepted, never read: the kernel completes the handshake, then the socket buffers fill up.
      try (ServerSocket deaf = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        String code = "#".repeat(32 << 20);
        long start = System.nanoTime();
        AgentCallException e = failure(client.call("http://127.0.0.1:" + deaf.getLocalPort() + "/", "command",
            List.of(code), SHORT));
        assertKind(Kind.TIMEOUT, e);
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3000));
        assertEquals("testapp-bin", result(client.serverData(agent.url())).get("exe"),
            "the only slot is free again");
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
    void aReusedParserCarriesNothingFromOneAnswerToTheNext() throws Exception {
      String controlCharacter = "<methodResponse><params><param><value><string>&#x1;</string></value></param>"
          + "</params></methodResponse>";
      AgentCallException fresh = fails(HostileServer.xml("<?xml version=\"1.0\"?>" + controlCharacter), T);
      assertKind(Kind.PROTOCOL, fresh);
      // an XML 1.1 answer (which may carry &#x1;) must not leave the thread's reused parser reading 1.1 afterwards
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
    void aResetAfterTheRequestIsNoAnswerNotUnreachable() throws Exception {
      assertKind(Kind.NO_ANSWER, fails(HostileServer.reset(), T));
    }

    @Test
    void aConnectionClosedWithoutAnswerIsNoAnswerAndThePostIsNeverResent() throws Exception {
      assertKind(Kind.NO_ANSWER, fails((socket, request) -> { }, T));
      assertEquals(1, hostile.connections(), "the client must not silently re-send the POST");
      assertEquals(1, hostile.requests().size());
    }

    @Test
    void aHostThatNeverCompletesTheConnectIsUnreachable() throws Exception {
      // A listener with a full accept backlog makes the kernel drop further SYNs: the connect hangs like a dead host.
      List<Socket> fillers = new ArrayList<>();
      try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          AgentClient quick = newClient(vertx,
              new AgentClientOptions().setConnectTimeout(Duration.ofMillis(300)))) {
        fillBacklog(full, fillers);
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

    /**
     * A command whose first SYN is lost still reaches its agent: TCP sends the SYN again after 1 s, and a command
     * waits for that ({@link AgentClientOptions#setCommandConnectTimeout}) where a poll gives up. Found in the
     * link-cut farm test: the first connects to a host whose link had just come back went unanswered, and a 1 s
     * connect timeout ended them just before the retransmission would have connected.
     */
    @Test
    void aCommandWhoseFirstSynIsDroppedConnectsOnItsRetransmission() throws Exception {
      List<Socket> fillers = new ArrayList<>();
      try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        fillBacklog(full, fillers);
        long start = System.nanoTime();
        Future<Object> command = client.call("http://127.0.0.1:" + full.getLocalPort() + "/", "command",
            List.of("print('ran')"), T);
        // the kernel dropped the first SYN (full accept queue) once the client's socket waits in SYN-SENT
        Poll.until(Duration.ofSeconds(5), "the command's connect is under way", () -> synSentTo(full.getLocalPort()));
        Thread server = new Thread(() -> answerOneCall(full, fillers), "backlog-drain");
        server.start();
        assertEquals("ran\n", result(command));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= 900, "connected on the SYN retransmission (~1 s), not the first SYN: took " + tookMs);
        server.join(10_000);
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }

    /** Connects sockets to {@code listener} (never accepted) until its accept queue is full. */
    private void fillBacklog(ServerSocket listener, List<Socket> fillers) throws IOException {
      for (int i = 0; i < 8; i++) {
        Socket s = new Socket();
        fillers.add(s);
        try {
          s.connect(listener.getLocalSocketAddress(), 100);
        } catch (SocketTimeoutException backlogFull) {
          return;
        }
      }
    }

    /** Whether a socket of this machine waits in SYN-SENT for {@code port} ({@code /proc/net/tcp}, {@code tcp6}). */
    private boolean synSentTo(int port) {
      String remote = String.format(":%04X ", port);
      List<String> lines = new ArrayList<>();
      try {
        lines.addAll(java.nio.file.Files.readAllLines(Path.of("/proc/net/tcp")));
        lines.addAll(java.nio.file.Files.readAllLines(Path.of("/proc/net/tcp6")));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      for (String line : lines) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && (f[2] + " ").endsWith(remote) && f[3].equals("02")) {
          return true;
        }
      }
      return false;
    }

    /** Accepts and drops the fillers, then answers the next connection's one XML-RPC call with "ran\n". */
    private void answerOneCall(ServerSocket listener, List<Socket> fillers) {
      java.util.Set<Integer> fillerPorts = new java.util.HashSet<>();
      fillers.forEach(f -> fillerPorts.add(f.getLocalPort()));
      try {
        Socket next = listener.accept();
        while (fillerPorts.contains(next.getPort())) {
          next.close();
          next = listener.accept();
        }
        try (Socket call = next) {
          HostileServer.Request request = HostileServer.readRequest(call.getInputStream());
          HostileServer.value("<string>ran\n</string>").answer(call, request);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** The call slots: refusal beyond the queue, deadlines that run while queued, the bound across agents, closing. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Slots {

    private Vertx vertx;
    private RealAgent agent;

    @BeforeAll
    void start() throws Exception {
      vertx = Vertx.vertx();
      agent = RealAgent.start(vertx, new AgentOptions());
    }

    @AfterAll
    void stop() throws Exception {
      agent.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallBeyondTheQueueIsOverloadedAtOnce() throws Exception {
      try (HostileServer silent = HostileServer.start(HostileServer.silent());
          AgentClient client = newClient(vertx,
              new AgentClientOptions().setPoolSize(1).setMaxQueued(1))) {
        Future<Object> busy = client.call(silent.url(), "server_data", List.of(), Duration.ofSeconds(2));
        Future<Object> queued = client.call(agent.url(), "server_data", List.of(), Duration.ofSeconds(10));
        AgentCallException refused = failure(client.call(agent.url(), "server_data", List.of(), Duration.ofSeconds(10)));
        assertEquals(Kind.OVERLOADED, refused.kind());
        assertEquals(Kind.TIMEOUT, failure(busy).kind());
        assertTrue(result(queued) instanceof Map, "the queued call runs once the slot is free");
      }
    }

    @Test
    void theDeadlineRunsWhileQueuedAndAnExpiredCallIsNeverSent() throws Exception {
      try (HostileServer silent = HostileServer.start(HostileServer.silent());
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1))) {
        Future<Object> busy = client.call(silent.url(), "server_data", List.of(), Duration.ofMillis(1500));
        Poll.until(Duration.ofSeconds(5), "the first call occupies the only slot", () -> silent.connections() == 1);
        long start = System.nanoTime();
        AgentCallException queued = failure(client.call(silent.url(), "command", List.of("x"), Duration.ofMillis(300)));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(Kind.TIMEOUT, queued.kind());
        assertTrue(queued.getMessage().startsWith("not sent to " + silent.url()), queued.getMessage());
        assertTrue(queued.getMessage().contains("1 agent-call workers"), queued.getMessage());
        assertTrue(tookMs < 1200, "the caller's future fails at its deadline while the slot is held: " + tookMs);
        AgentCallException stuck = failure(busy);
        assertEquals(Kind.TIMEOUT, stuck.kind());
        assertTrue(stuck.getMessage().startsWith("no answer from " + silent.url()), stuck.getMessage());
        assertEquals("testapp-bin", result(client.serverData(agent.url())).get("exe"));
        assertEquals(1, silent.connections(), "the expired command was never sent");
      }
    }

    @Test
    void callsInFlightAcrossAllAgentsNeverExceedTheSlots() throws Exception {
      try (HostileServer first = HostileServer.start(HostileServer.silent());
          HostileServer second = HostileServer.start(HostileServer.silent());
          AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(2))) {
        Future<Object> a = client.call(first.url(), "server_data", List.of(), Duration.ofMillis(1500));
        Future<Object> b = client.call(second.url(), "server_data", List.of(), Duration.ofMillis(1500));
        AgentCallException third = failure(client.call(first.url(), "command", List.of("x"),
            Duration.ofMillis(400)));
        assertEquals(Kind.TIMEOUT, third.kind());
        assertTrue(third.getMessage().contains("2 agent-call workers"), third.getMessage());
        assertEquals(Kind.TIMEOUT, failure(a).kind());
        assertEquals(Kind.TIMEOUT, failure(b).kind());
        assertEquals(1, first.connections(), "the third call never connected");
        assertEquals(1, second.connections());
        Poll.until(Duration.ofSeconds(5), "both frozen agents are let go at the deadline",
            () -> first.clientHangups() == 1 && second.clientHangups() == 1);
      }
    }

    @Test
    void closingFailsWaitingCallsAndRefusesNewOnes() throws Exception {
      try (HostileServer silent = HostileServer.start(HostileServer.silent())) {
        AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1));
        Future<Object> busy = client.call(silent.url(), "server_data", List.of(), Duration.ofSeconds(1));
        Future<Object> waiting = client.call(agent.url(), "server_data", List.of(), Duration.ofSeconds(10));
        client.close();
        assertEquals(Kind.OVERLOADED, failure(waiting).kind());
        assertEquals(Kind.OVERLOADED, failure(client.serverData(agent.url())).kind());
        assertEquals(Kind.TIMEOUT, failure(busy).kind());
      }
    }
  }

  /**
   * The hub's agent client against https agents: a trusted certificate works (server_data and command); an
   * untrusted CA, a certificate for another host, or an agent that does not speak TLS each fail as {@link
   * Kind#UNREACHABLE} with the reason and nothing re-sent over http; the hardening (Content-Length bodies, size cap,
   * deadlines, including a handshake that never completes) holds over TLS too.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Tls {

    private static final Duration T = Duration.ofSeconds(10);

    private TestPki pki;
    private Vertx vertx;
    private RealAgent tlsAgent;
    private RealAgent plainAgent;
    private RealAgent elsewhereAgent;
    private SSLContext serverContext;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
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
    void stop() throws Exception {
      tlsAgent.close();
      elsewhereAgent.close();
      plainAgent.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }

    private AgentClient client(Path ca) {
      return newClient(vertx, new AgentClientOptions().setPoolSize(1).setToken("tok")
          .setCaPath(ca == null ? null : ca.toString()));
    }

    @Test
    void aTrustedAgentAnswersServerDataAndCommandOverHttps() throws Exception {
      AgentClient client = client(pki.ca());
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
      AgentClient client = client(pki.otherCa());
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
      AgentClient client = client(null);
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
      AgentClient client = client(pki.ca());
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
      AgentClient client = client(pki.ca());
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
      AgentClient client = client(pki.ca());
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
      AgentClient client = client(pki.ca());
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
      AgentClient client = newClient(vertx, new AgentClientOptions().setPoolSize(1)
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
    void aHandshakeThatNeverCompletesEndsAtTheDeadlineAndFreesTheSlot() throws Exception {
      AgentClient client = client(pki.ca());
      try (HostileServer mute = HostileServer.start(HostileServer.silent())) {
        long start = System.nanoTime();
        AgentCallException e = failure(client.call(mute.httpsUrl(), "server_data", List.of(),
            Duration.ofMillis(1500)));
        assertEquals(Kind.TIMEOUT, e.kind(), e.toString());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
        assertEquals("testapp-bin", result(client.serverData(tlsAgent.url())).get("exe"),
            "the single slot is free again");
      } finally {
        client.close();
      }
    }
  }

  /** The client against real SessionHub agents (one open, one with a token) on loopback ports chosen at run time. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @ExtendWith(VertxExtension.class)
  class RealAgents {

    private static final Duration T = Duration.ofSeconds(20);

    private Vertx vertx;
    private RealAgent open;
    private RealAgent guarded;
    private AgentClient client;

    @BeforeAll
    void start() throws Exception {
      vertx = Vertx.vertx();
      open = RealAgent.start(vertx, new AgentOptions());
      guarded = RealAgent.start(vertx, new AgentOptions().setToken("t"));
      client = newClient(vertx, new AgentClientOptions());
    }

    @AfterAll
    void stop() throws Exception {
      client.close();
      open.close();
      guarded.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void serverDataIsTheAgentsStruct() throws Exception {
      Map<String, Object> data = result(client.serverData(open.url()));
      assertEquals("testapp-bin", data.get("exe"));
      assertEquals(open.port(), data.get("port"));
      assertEquals(open.sessionId(), data.get("session_id"));
      assertEquals((int) ProcessHandle.current().pid(), data.get("pid"));
      assertArrayEquals(new Object[] {"Cube", "Camera"}, (Object[]) data.get("scene_objects"));
    }

    @Test
    void commandReturnsItsOutput() throws Exception {
      assertEquals("hi 3\n", result(client.call(open.url(), "command", List.of("print('hi', 1 + 2)"), T)));
    }

    /**
     * A thread sends a repeated call's body as it wrote it before (LastRequestBody): one slot and calls that
     * alternate between repeats and changes must each run exactly what was asked.
     */
    @Test
    void aRepeatedCallIsSentAsItselfAndAChangedOneAsTheChange() throws Exception {
      AgentClient oneSlot = newClient(vertx, new AgentClientOptions().setPoolSize(1));
      try {
        String[][] calls = {{"print(1)", "1\n"}, {"print(1)", "1\n"}, {"print(2)", "2\n"}, {"print(2)", "2\n"},
            {"print(1)", "1\n"}, {"print('\u03a9')", "\u03a9\n"}, {"print('\u03a9')", "\u03a9\n"}, {"print(1)", "1\n"}};
        for (String[] call : calls) {
          assertEquals(call[1], result(oneSlot.call(open.url(), "command", List.of(call[0]), T)), call[0]);
        }
        assertEquals("3\n", result(oneSlot.call(open.url(), "command", List.of("print(1 + 2)", 30.0), T)));
        assertEquals("3\n", result(oneSlot.call(open.url(), "command", List.of("print(1 + 2)"), T)));
        assertEquals(42, result(oneSlot.call(open.url(), "evaluate", List.of("40 + 2"), T)));
        assertEquals(43, result(oneSlot.call(open.url(), "evaluate", List.of("40 + 3"), T)));
      } finally {
        oneSlot.close();
      }
    }

    @Test
    void nonAsciiTextSurvivesBothWays() throws Exception {
      assertEquals("Ωmega 東京 ünï\n", result(client.call(open.url(), "command", List.of("print('Ωmega 東京 ünï')"), T)));
    }

    @Test
    void evaluateReturnsAnXmlRpcValue() throws Exception {
      assertEquals(42, result(client.call(open.url(), "evaluate", List.of("40 + 2"), T)));
    }

    @Test
    void anExceptionInTheCommandIsFaultOne() throws Exception {
      AgentCallException e = failure(client.call(open.url(), "command", List.of("1/0"), T));
      assertEquals(Kind.FAULT, e.kind());
      assertEquals(1, e.faultCode());
      assertTrue(e.getMessage().startsWith("ZeroDivisionError"), e.getMessage());
      assertEquals(null, e.getCause());
    }

    @Test
    void anUnknownMethodIsTheInteropFault() throws Exception {
      AgentCallException e = failure(client.call(open.url(), "no_such_method", List.of(), T));
      assertEquals(Kind.FAULT, e.kind());
      assertEquals(-32601, e.faultCode());
    }

    @Test
    void theTokenIsSentAsBasicAuth() throws Exception {
      try (AgentClient withToken = newClient(vertx, new AgentClientOptions().setToken("t"));
          AgentClient wrongToken = newClient(vertx, new AgentClientOptions().setToken("x"))) {
        assertEquals("testapp-bin", result(withToken.serverData(guarded.url())).get("exe"));
        AgentCallException none = failure(client.serverData(guarded.url()));
        assertEquals(Kind.PROTOCOL, none.kind());
        assertTrue(none.getMessage().startsWith("HTTP 401"), none.getMessage());
        assertEquals(Kind.PROTOCOL, failure(wrongToken.serverData(guarded.url())).kind());
      }
    }

    @Test
    void aRefusedPortIsUnreachableAtOnce() throws Exception {
      int port = FreePorts.one();
      long start = System.nanoTime();
      AgentCallException e = failure(client.serverData("http://127.0.0.1:" + port + "/"));
      assertEquals(Kind.UNREACHABLE, e.kind());
      assertEquals("connection refused by 127.0.0.1:" + port, e.getMessage());
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(900), "refusal is not a timeout");
    }

    @Test
    void badUrlsAndParamsFailAsProtocolWithoutSending() throws Exception {
      assertEquals(Kind.PROTOCOL, failure(client.serverData("file:///etc/passwd")).kind());
      assertEquals(Kind.PROTOCOL, failure(client.serverData("not a url")).kind());
      assertEquals(Kind.PROTOCOL, failure(client.serverData("http://hub:t@127.0.0.1:1/")).kind());
      assertEquals(Kind.PROTOCOL, failure(client.call(open.url(), "command", Arrays.asList((Object) null), T))
          .kind());
      assertEquals(Kind.PROTOCOL, failure(client.call(open.url(), "command", List.of("x"), Duration.ZERO)).kind());
    }

    @Test
    void theFutureCompletesOnTheCallersContext(VertxTestContext test) {
      Context context = vertx.getOrCreateContext();
      Checkpoint success = test.checkpoint();
      Checkpoint failure = test.checkpoint();
      context.runOnContext(v -> {
        client.serverData(open.url()).onComplete(test.succeeding(data -> test.verify(() -> {
          assertSame(context, Vertx.currentContext());
          success.flag();
        })));
        client.serverData("http://127.0.0.1:" + FreePorts.one() + "/").onComplete(test.failing(e -> test.verify(() -> {
          assertSame(context, Vertx.currentContext());
          failure.flag();
        })));
      });
    }

    @Test
    void twoHundredConcurrentCallsOnEightSlotsAllSucceed(VertxTestContext test) {
      AgentClient small = newClient(vertx, new AgentClientOptions().setPoolSize(8));
      List<Future<Map<String, Object>>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(small.serverData(open.url()));
      }
      Future.all(calls).onComplete(test.succeeding(all -> test.verify(() -> {
        for (int i = 0; i < 200; i++) {
          assertEquals(open.sessionId(), all.<Map<String, Object>>resultAt(i).get("session_id"));
        }
        small.close();
        test.completeNow();
      })));
    }
  }

  /**
   * The client against Python's own HTTP/1.0 {@code SimpleXMLRPCServer(allow_none=True)}, what the Blender add-on
   * runs: Content-Length bodies are accepted, and {@code <nil/>} and {@code <i8>} answers are read.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class PythonAgents {

    private Vertx vertx;
    private PythonAgent python;
    private AgentClient client;

    @BeforeAll
    void start() throws Exception {
      vertx = Vertx.vertx();
      python = PythonAgent.start();
      client = newClient(vertx, new AgentClientOptions().setPollTimeout(Duration.ofSeconds(10)));
    }

    @AfterAll
    void stop() throws Exception {
      client.close();
      python.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void serverDataWithNoneAndABigInt() throws Exception {
      Map<String, Object> data = result(client.serverData(python.url()));
      assertEquals("blender", data.get("exe"));
      assertTrue(data.containsKey("file_path"));
      assertNull(data.get("file_path"));
      assertEquals(1L << 40, data.get("big"));
      assertEquals((int) python.pid(), data.get("pid"));
      assertArrayEquals(new Object[] {"Cube", "Light"}, (Object[]) data.get("scene_objects"));
    }

    @Test
    void manyCallsInARowToAnHttp10ServerAllSucceed() throws Exception {
      for (int i = 0; i < 30; i++) {
        assertEquals("echo:print(" + i + ")",
            result(client.call(python.url(), "command", List.of("print(" + i + ")"), Duration.ofSeconds(10))));
      }
    }
  }
}
