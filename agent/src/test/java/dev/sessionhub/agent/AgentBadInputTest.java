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
 * What the bad-input table of {@link AgentBadInputSuiteTest} cannot express, against a Java agent started per
 * test: a streaming HTTP client that never ends its body gets the 413 itself (the table also accepts a close);
 * commands that run past their time limit and free the main thread; a flood beyond the command queue answered
 * busy; HTTP/1.0 clients; which credentials a token agent accepts and that {@code /status} never shows the token;
 * open discovery; and an agent that refuses to start beyond loopback without a token.
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
