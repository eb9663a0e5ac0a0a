package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.RawHttp;
import dev.sessionhub.agent.testing.TestHost;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile and broken requests against a running agent: each gets its documented fault or HTTP status, and the
 * agent answers {@code server_data()} normally afterwards.
 */
@ExtendWith(VertxExtension.class)
class AgentBadInputTest {

  private static final String SERVER_DATA = "<?xml version=\"1.0\"?><methodCall><methodName>server_data"
      + "</methodName><params/></methodCall>";

  private final XmlRpcCodec codec = XmlRpcCodec.withDefaults();
  private TestHost host;
  private Agent agent;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    host = new TestHost("bad-input");
    agent = Agent.start(vertx, new AgentOptions().setPort(FreePorts.one())
            .setMaxBodyBytes(64 * 1024)
            .setCommandTimeout(Duration.ofMillis(1500))
            .setCommandQueueLength(4)
            .setRequestReadTimeout(Duration.ofMillis(800)), host)
        .await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    agent.close().await(5, TimeUnit.SECONDS);
    host.close();
  }

  private XmlRpcResponse rpc(String xml) throws Exception {
    RawHttp.Response response = RawHttp.post(agent.port(), xml);
    assertEquals(200, response.status(), response.text());
    return codec.decodeResponse(response.body());
  }

  private static String call(String method, String... stringParams) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>" + method
        + "</methodName><params>");
    for (String p : stringParams) {
      xml.append("<param><value><string>").append(p.replace("&", "&amp;").replace("<", "&lt;"))
          .append("</string></value></param>");
    }
    return xml.append("</params></methodCall>").toString();
  }

  private void assertFault(int code, String messagePart, XmlRpcResponse response) {
    assertTrue(response.isFault(), "expected a fault, got " + response.value());
    assertEquals(code, response.fault().code(), response.fault().message());
    assertTrue(response.fault().message().contains(messagePart),
        "fault '" + response.fault().message() + "' should mention '" + messagePart + "'");
  }

  private void assertStillServing() throws Exception {
    XmlRpcResponse response = rpc(SERVER_DATA);
    assertTrue(!response.isFault() && response.value() instanceof java.util.Map,
        "server_data after the bad input: " + response);
  }

  @Test
  void malformedXmlIsAParseError() throws Exception {
    assertFault(-32700, "", rpc("<methodCall><methodName>server_data</methodName><params>"));
    assertFault(-32700, "", rpc("this is not xml at all"));
    assertStillServing();
  }

  @Test
  void doctypeAndExternalEntitiesAreRefusedWithoutFetching() throws Exception {
    try (ServerSocket bait = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      bait.setSoTimeout(300);
      String xxe = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"http://127.0.0.1:"
          + bait.getLocalPort() + "/secret\">]><methodCall><methodName>&x;</methodName></methodCall>";
      assertFault(-32700, "DOCTYPE", rpc(xxe));
      assertFault(-32700, "DOCTYPE", rpc("<?xml version=\"1.0\"?><!DOCTYPE methodCall SYSTEM \"file:///etc/passwd\">"
          + "<methodCall><methodName>server_data</methodName></methodCall>"));
      boolean fetched;
      try (Socket ignored = bait.accept()) {
        fetched = true;
      } catch (java.net.SocketTimeoutException e) {
        fetched = false;
      }
      assertTrue(!fetched, "the agent must never fetch an external entity");
    }
    assertStillServing();
  }

  @Test
  void entityExpansionBombIsRefused() throws Exception {
    StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for (int i = 1; i <= 9; i++) {
      bomb.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        bomb.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
      }
      bomb.append("\">");
    }
    bomb.append("]><methodCall><methodName>&lol9;</methodName></methodCall>");
    assertFault(-32700, "DOCTYPE", rpc(bomb.toString()));
    assertStillServing();
  }

  @Test
  void hundredLevelNestingIsRefused() throws Exception {
    String nested = "<value><array><data>".repeat(100) + "<value><int>1</int></value>"
        + "</data></array></value>".repeat(100);
    assertFault(-32600, "32", rpc("<?xml version=\"1.0\"?><methodCall><methodName>evaluate</methodName><params>"
        + "<param>" + nested + "</param></params></methodCall>"));
    assertStillServing();
  }

  @Test
  void bodyOverTheLimitIs413BeforeItIsRead() throws Exception {
    byte[] big = new byte[200 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    RawHttp.Response response = RawHttp.post(agent.port(), "/RPC2", big);
    assertEquals(413, response.status());
    assertTrue(response.text().contains("exceeds 65536 bytes"), response.text());
    assertStillServing();
  }

  private HttpClient client;
  private HttpClient checkClient;

  @Test
  void chunkedBodyThatNeverEndsIsCutAtTheLimit(Vertx vertx, VertxTestContext test) {
    // held in a field: Vert.x closes the pool of a client that becomes unreachable ("Pool closed")
    client = vertx.createHttpClient();
    Buffer chunk = Buffer.buffer(new byte[8192]);
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(agent.port())
            .setURI("/RPC2"))
        .compose(request -> {
          request.setChunked(true);
          long writer = vertx.setPeriodic(2, id -> {
            if (!request.writeQueueFull()) {
              request.write(chunk);
            }
          });
          return request.response().andThen(ar -> vertx.cancelTimer(writer));
        })
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertEquals(413, response.statusCode());
          serverDataStillAnswers(vertx, test);
        })));
  }

  private void serverDataStillAnswers(Vertx vertx, VertxTestContext test) {
    checkClient = vertx.createHttpClient();
    checkClient.request(HttpMethod.POST, agent.port(), "127.0.0.1", "/RPC2")
        .compose(req -> req.send(SERVER_DATA).compose(HttpClientResponse::body))
        .onComplete(test.succeeding(body -> test.verify(() -> {
          assertTrue(!codec.decodeResponse(body.getBytes()).isFault());
          test.completeNow();
        })));
  }

  @Test
  void bodyThatStallsIsCutByTheReadTimeout() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<?xml")
          .getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      RawHttp.Response response = RawHttp.read(socket.getInputStream());
      assertEquals(408, response.status());
    }
    assertStillServing();
  }

  @Test
  void invalidUtf8IsAParseError() throws Exception {
    byte[] head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodCall><methodName>command</methodName><params><param><value><string>"
        .getBytes(StandardCharsets.UTF_8);
    byte[] tail = "</string></value></param></params></methodCall>".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + 3 + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    body[head.length] = (byte) 0xC3;
    body[head.length + 1] = (byte) 0x28;
    body[head.length + 2] = (byte) 0xFF;
    System.arraycopy(tail, 0, body, head.length + 3, tail.length);
    RawHttp.Response response = RawHttp.post(agent.port(), "/RPC2", body);
    assertFault(-32700, "", codec.decodeResponse(response.body()));
    assertStillServing();
  }

  @Test
  void unknownMethodsAndWrongTypesAreTypedFaults() throws Exception {
    assertFault(-32601, "method 'rm_rf' is not supported", rpc(call("rm_rf")));
    assertFault(-32602, "must be a string, got int", rpc("<?xml version=\"1.0\"?><methodCall><methodName>command"
        + "</methodName><params><param><value><int>7</int></value></param></params></methodCall>"));
    assertFault(-32602, "command takes 1 to 3 parameters, got 0", rpc(call("command")));
    assertFault(-32600, "", rpc("<?xml version=\"1.0\"?><notACall/>"));
    assertFault(-32600, "", rpc("<?xml version=\"1.0\"?><methodCall><methodName>command</methodName><params>"
        + "<param><value><int>99999999999999</int></value></param></params></methodCall>"));
    assertStillServing();
  }

  @Test
  void aCommandThatLoopsForeverTimesOutAndTheSessionKeepsServing() throws Exception {
    long start = System.nanoTime();
    assertFault(-32002, "timed out after 1500 ms", rpc(call("command", "while True:\n    pass")));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMs < 5_000, "timeout answered in " + tookMs + " ms");
    assertStillServing();
    assertFault(-32002, "", rpc(call("command", "import time\ntime.sleep(60)")));
    XmlRpcResponse next = rpc(call("command", "print('alive')"));
    assertEquals("alive\n", next.value(), "the main thread was freed by the abort: " + next);
  }

  @Test
  void aCallerCanAskForAShorterLimitButNotALongerOne() throws Exception {
    String loop = "<?xml version=\"1.0\"?><methodCall><methodName>command</methodName><params>"
        + "<param><value><string>while True:\n    pass</string></value></param>"
        + "<param><value><double>%s</double></value></param></params></methodCall>";
    long start = System.nanoTime();
    assertFault(-32002, "timed out after 300 ms", rpc(String.format(loop, "0.3")));
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1400, "the shorter limit applied");
    assertFault(-32002, "timed out after 1500 ms", rpc(String.format(loop, "3600")));
    assertFault(-32602, "'timeout' must be a number of seconds", rpc("<?xml version=\"1.0\"?><methodCall>"
        + "<methodName>command</methodName><params><param><value><string>1</string></value></param>"
        + "<param><value><string>soon</string></value></param></params></methodCall>"));
    assertStillServing();
  }

  @Test
  void aCommandFloodBeyondTheQueueIsAnsweredBusy(Vertx vertx) throws Exception {
    HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions(),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(16));
    assertEquals("", rpc(call("command", "import time")).value(), "interpreter warmed up");
    String slow = call("command", "time.sleep(0.2)");
    List<Future<Buffer>> replies = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      replies.add(client.request(HttpMethod.POST, agent.port(), "127.0.0.1", "/RPC2")
          .compose(req -> req.send(slow)).compose(HttpClientResponse::body));
    }
    Future.join(replies).await(30, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS); // also keeps it referenced while the replies come (Cleanable)
    int busy = 0;
    int ok = 0;
    for (Future<Buffer> reply : replies) {
      XmlRpcResponse r = codec.decodeResponse(reply.result().getBytes());
      if (r.isFault()) {
        assertEquals(-32001, r.fault().code(), r.fault().message());
        busy++;
      } else {
        ok++;
      }
    }
    assertTrue(busy >= 1, "some commands must be refused busy; ok=" + ok);
    assertTrue(ok >= 4 && ok <= 4 + 1, "the queue of 4 runs; ok=" + ok + " busy=" + busy);
    assertStillServing();
  }

  @Test
  void wrongHttpMethodAndPathAreHttpErrors() throws Exception {
    assertEquals(405, RawHttp.exchange(agent.port(),
        "PUT /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1), new byte[0]).status());
    assertEquals(404, RawHttp.post(agent.port(), "/other", SERVER_DATA.getBytes(StandardCharsets.UTF_8)).status());
    assertStillServing();
  }

  @Test
  void http10ClientsAreServed() throws Exception {
    byte[] body = SERVER_DATA.getBytes(StandardCharsets.UTF_8);
    RawHttp.Response response = RawHttp.exchange(agent.port(), ("POST / HTTP/1.0\r\nContent-Type: text/xml\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body);
    assertEquals(200, response.status());
    assertTrue(!codec.decodeResponse(response.body()).isFault());
  }

  static String basic(String user, String token) {
    return "Authorization: Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withATokenEveryRequestMustCarryIt(Vertx vertx) throws Exception {
    Agent guarded = Agent.start(vertx, new AgentOptions().setPort(FreePorts.one()).setToken("s3cret"), host)
        .await(30, TimeUnit.SECONDS);
    try {
      int port = guarded.port();
      RawHttp.Response none = RawHttp.post(port, SERVER_DATA);
      assertEquals(401, none.status());
      assertTrue(none.headers().contains("WWW-Authenticate: Basic"), none.headers());
      assertEquals(401, RawHttp.post(port, SERVER_DATA, basic("hub", "wrong")).status());
      assertEquals(401, RawHttp.post(port, SERVER_DATA, "Authorization: Bearer wrong").status());
      assertEquals(401, RawHttp.post(port, SERVER_DATA, "Authorization: Basic !!!notbase64").status());
      assertEquals(401, RawHttp.get(port, "/status").status());
      assertEquals(200, RawHttp.post(port, SERVER_DATA, basic("anyone", "s3cret")).status());
      assertEquals(200, RawHttp.post(port, SERVER_DATA, "Authorization: Bearer s3cret").status());
      RawHttp.Response status = RawHttp.get(port, "/status", "Authorization: Bearer s3cret");
      assertEquals(200, status.status());
      assertTrue(!status.text().contains("s3cret"), "the token never appears in /status");
    } finally {
      guarded.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void openDiscoveryAnswersServerDataOnlyWithoutTheToken(Vertx vertx) throws Exception {
    Agent open = Agent.start(vertx, new AgentOptions().setPort(FreePorts.one()).setToken("s3cret")
        .setOpenDiscovery(true), host).await(30, TimeUnit.SECONDS);
    try {
      int port = open.port();
      RawHttp.Response data = RawHttp.post(port, SERVER_DATA);
      assertEquals(200, data.status());
      assertTrue(data.text().contains("session_id"), data.text());
      for (String method : new String[] {"command", "evaluate", "scene_objects", "system.multicall",
          "system.listMethods"}) {
        String call = "<?xml version=\"1.0\"?><methodCall><methodName>" + method + "</methodName><params>"
            + "<param><value><string>print(1)</string></value></param></params></methodCall>";
        assertEquals(401, RawHttp.post(port, call).status(), method + " without the token");
        assertEquals(200, RawHttp.post(port, call, "Authorization: Bearer s3cret").status(), method + " with it");
      }
      String multicall = "<?xml version=\"1.0\"?><methodCall><methodName>system.multicall</methodName><params>"
          + "<param><value><array><data><value><struct><member><name>methodName</name><value><string>command"
          + "</string></value></member><member><name>params</name><value><array><data><value><string>print(1)"
          + "</string></value></data></array></value></member></struct></value></data></array></value></param>"
          + "</params></methodCall>";
      assertEquals(401, RawHttp.post(port, multicall).status(), "multicall cannot smuggle a command");
      assertEquals(401, RawHttp.get(port, "/status").status(), "the status page still needs the token");
    } finally {
      open.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void bindingBeyondLoopbackWithoutATokenRefusesToStart(Vertx vertx) {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Agent.start(vertx, new AgentOptions().setBindAddress("0.0.0.0"), host));
    assertTrue(e.getMessage().contains("set a token"), e.getMessage());
  }
}
