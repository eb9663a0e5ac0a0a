package dev.sessionhub.hub;

import static dev.sessionhub.agent.testing.BadInputSuite.Expect.apiError;
import static dev.sessionhub.agent.testing.BadInputSuite.Expect.closed;
import static dev.sessionhub.agent.testing.BadInputSuite.Expect.fault;
import static dev.sessionhub.agent.testing.BadInputSuite.Expect.status;
import static dev.sessionhub.agent.testing.BadInputSuite.Expect.value;
import static dev.sessionhub.agent.testing.XmlPayloads.call;
import static dev.sessionhub.agent.testing.XmlPayloads.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.Abuse;
import dev.sessionhub.agent.testing.BadInputSuite;
import dev.sessionhub.agent.testing.Bait;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.ProcessHealth;
import dev.sessionhub.agent.testing.Wire;
import dev.sessionhub.agent.testing.XmlPayloads;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hub's bad-input suite: one running hub with a token (and one announced agent) on real loopback sockets
 * meets a table of hostile and broken requests on every interface it has: XML-RPC at /RPC2 (XXE, entity bombs,
 * deep nesting, broken UTF-8, wrong types, counts, selectors and ids), REST under /api (bad JSON, wrong JSON
 * types, bad selectors, unknown sessions and jobs, oversize bodies), the event streams (bad tokens), and HTTP
 * itself (huge and endless bodies, slow-loris clients, wrong methods and paths, huge headers, garbage, many
 * connections, a request replayed after the token changed). Every case gets its typed answer and normal
 * authenticated calls succeed after it. Each case is its own dynamic test, and none relies on another having run
 * first. After all of them the JVM holds no more threads, descriptors or heap than before, within a small margin.
 */
class HubBadInputSuiteTest {

  private static final String TOKEN = "hub-tok-1";
  private static final String NEW_TOKEN = "hub-tok-2";
  private static final int MAX_BODY = 64 * 1024;
  private static final Duration READ_TIMEOUT = Duration.ofMillis(1000);
  private static final long CUT_WITHIN_MS = READ_TIMEOUT.toMillis() + 2500;
  /** A cut checked once per read timeout lands between one and two of them after the last response. */
  private static final long IDLE_CUT_WITHIN_MS = 2 * READ_TIMEOUT.toMillis() + 2500;
  private static final Duration DRIBBLE = Duration.ofMillis(100);
  private static final String SESSIONS = call("hub.sessions", str(""));
  private static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();

  private static HubOptions options;
  private static HazelcastInstance hazelcast;
  private static Vertx vertx;
  private static Hub hub;
  private static int port;
  private static Agents agents;
  private static Agent agent;
  private static String address;
  private static volatile String token = TOKEN;
  private static Bait bait;
  private static ProcessHealth baseline;
  private static BadInputSuite suite;

  @BeforeAll
  static void start() throws Exception {
    port = FreePorts.one();
    int hzPort = FreePorts.range(4);
    options = new HubOptions().setHttpPort(port).setClusterName("bad-input-" + UUID.randomUUID())
        .setHazelcastPort(hzPort).addMember("127.0.0.1:" + hzPort).setToken(TOKEN).setMaxBodyBytes(MAX_BODY)
        .setRequestReadTimeout(READ_TIMEOUT).setLease(Duration.ofSeconds(60));
    hazelcast = HazelcastSetup.start(options);
    vertx = Vertx.vertx();
    hub = Hub.start(vertx, hazelcast, options).await(30, TimeUnit.SECONDS);
    agents = new Agents();
    agent = agents.start(new AgentOptions().setPort(FreePorts.one()).setToken(TOKEN).setHubUrl(hub.url()));
    address = "127.0.0.1:" + agent.port();
    Poll.until(Duration.ofSeconds(20), "the agent announced itself", () -> get("/api/sessions/" + address)
        .status() == 200);
    bait = new Bait();
    warmUp();
    baseline = ProcessHealth.now();
    suite = new BadInputSuite("hub", HubBadInputSuiteTest::hubAnswersAndNothingFetched);
    xmlAttacks(suite);
    rpcMethods(suite);
    rest(suite);
    eventStreams(suite);
    sizesAndTimeouts(suite);
    httpLevel(suite);
    authentication(suite);
    load(suite);
  }

  /** After the cases: no XXE payload reached the bait, and the JVM holds no more than it did before them. */
  @AfterAll
  static void stop() throws Exception {
    try {
      if (suite != null) {
        System.out.println(suite.summary());
        assertEquals(0, bait.connections(), "no XXE payload made the hub connect anywhere");
        ProcessHealth after = ProcessHealth.assertBackTo(baseline, 10, 20, 64L << 20, Duration.ofSeconds(30));
        System.out.println("bad-input[hub]: baseline " + baseline + ", after the cases " + after);
        hubAnswers();
      }
    } finally {
      try {
        if (bait != null) {
          bait.close();
        }
        if (agents != null) {
          agents.close();
        }
        if (hub != null) {
          hub.close().await(10, TimeUnit.SECONDS);
        }
        if (vertx != null) {
          vertx.close().await(10, TimeUnit.SECONDS);
        }
      } finally {
        if (hazelcast != null) {
          hazelcast.shutdown();
        }
      }
    }
  }

  private static String bearer(String t) {
    return "Authorization: Bearer " + t;
  }

  private static String basic(String userAndPassword) {
    return "Authorization: Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(
        StandardCharsets.UTF_8));
  }

  private static Wire.Answer rpc(String xml) {
    return Wire.send(port, Wire.post(port, "/RPC2", xml, bearer(token)));
  }

  private static Wire.Answer rpc(byte[] body) {
    return Wire.send(port, Wire.post(port, "/RPC2", body, bearer(token)));
  }

  private static Wire.Answer get(String path, String... headers) {
    StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    head.append(bearer(token)).append("\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    return Wire.send(port, head.append("\r\n").toString());
  }

  private static Wire.Answer getWithout(String path, String... headers) {
    StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    return Wire.send(port, head.append("\r\n").toString());
  }

  private static byte[] jsonPost(String path, byte[] body) {
    return Wire.concat(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Connection: close\r\n" + bearer(token) + "\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), body);
  }

  private static String broadcast(String selector, String code) {
    return new JsonObject().put("selector", selector).put("code", code).put("timeout", 10).encode();
  }

  /** hub.sessions over XML-RPC and GET /api/sessions over REST both answer, with the current token. */
  private static void hubAnswers() {
    Wire.Answer a = rpc(SESSIONS);
    assertEquals(200, a.status(), a::toString);
    try {
      XmlRpcResponse r = CODEC.decodeResponse(a.body());
      assertFalse(r.isFault(), () -> "hub.sessions faulted: " + r.fault());
      assertTrue(r.value() instanceof List, () -> "hub.sessions answers an array: " + r.value());
    } catch (dev.sessionhub.shared.xmlrpc.XmlRpcCodecException e) {
      throw new AssertionError("hub.sessions answer does not decode: " + a, e);
    }
    Wire.Answer b = get("/api/sessions");
    assertEquals(200, b.status(), b::toString);
    assertTrue(new JsonObject(b.text()).containsKey("count"), b::toString);
  }

  /** The check after every case: normal calls are served, and no bad input made the hub fetch the bait. */
  private static void hubAnswersAndNothingFetched() {
    hubAnswers();
    assertEquals(0, bait.connections(), "no XXE payload made the hub connect anywhere");
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputGetsItsTypedAnswerAndNormalCallsAfterIt() {
    assertTrue(suite.size() >= 80, suite::summary);
    return suite.tests();
  }

  private static void warmUp() throws Exception {
    Wire.Answer routed = Wire.send(port, jsonPost("/api/sessions/" + address + "/command",
        new JsonObject().put("code", "print(1)").encode().getBytes(StandardCharsets.UTF_8)));
    assertEquals(200, routed.status(), routed::toString);
    Abuse.concurrently(32, 200, () -> rpc(SESSIONS));
    Abuse.concurrently(32, 200, () -> get("/api/sessions"));
  }

  private static void xmlAttacks(BadInputSuite suite) {
    suite.add("xxe external entity", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.externalEntity(bait.url("secret"))));
    suite.add("xxe file entity", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.externalEntity("file:///etc/passwd")));
    suite.add("xxe parameter entity", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.parameterEntity(bait.url("p.dtd"))));
    suite.add("xxe external dtd", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.externalDtd("methodCall", "<methodCall><methodName>hub.sessions</methodName>"
            + "</methodCall>", bait.url("evil.dtd"))));
    suite.add("billion laughs", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.billionLaughs("<methodCall><methodName>hub.sessions</methodName><params><param>"
            + "<value><string>HOLE</string></value></param></params></methodCall>")));
    suite.add("arrays one level past the depth limit", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(XmlPayloads.nestedArrays("hub.sessions", 33)));
    suite.add("structs one level past the depth limit", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(XmlPayloads.nestedStructs("hub.register", 33)));
    suite.add("1400 nested arrays", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(XmlPayloads.nestedArrays("hub.sessions", 1400)));
    suite.add("5000 nested foreign elements", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(XmlPayloads.nestedElements(5000)));
    suite.add("invalid UTF-8", fault(FaultCode.PARSE_ERROR, "UTF-8"),
        () -> rpc(XmlPayloads.commandWithBytes((byte) 0xC3, (byte) 0x28, (byte) 0xFF)));
    suite.add("overlong UTF-8 slash", fault(FaultCode.PARSE_ERROR, "UTF-8"),
        () -> rpc(XmlPayloads.commandWithBytes((byte) 0xC0, (byte) 0xAF)));
    suite.add("empty body", fault(FaultCode.PARSE_ERROR, "empty"),
        () -> rpc(new byte[0]));
    suite.add("not XML", fault(FaultCode.PARSE_ERROR),
        () -> rpc("this is not xml at all"));
    suite.add("JSON to /RPC2", fault(FaultCode.PARSE_ERROR),
        () -> rpc("{\"jsonrpc\":\"2.0\",\"method\":\"hub.sessions\",\"id\":1}"));
    suite.add("truncated XML", fault(FaultCode.PARSE_ERROR),
        () -> rpc("<?xml version=\"1.0\"?><methodCall><methodName>hub.sessions</methodName><params>"));
    suite.add("wrong root element", fault(FaultCode.INVALID_REQUEST),
        () -> rpc("<?xml version=\"1.0\"?><methodResponse><params/></methodResponse>"));
  }

  private static void rpcMethods(BadInputSuite suite) {
    suite.add("unknown method", fault(FaultCode.METHOD_NOT_FOUND),
        () -> rpc(call("hub.shutdown")));
    suite.add("agent method on the hub", fault(FaultCode.METHOD_NOT_FOUND),
        () -> rpc(call("command", str("print(1)"))));
    suite.add("hub.sessions with an int", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.sessions", "<int>1</int>")));
    suite.add("hub.sessions with two params", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.sessions", str(""), str(""))));
    suite.add("hub.sessions with a bad selector", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.sessions", str("app=[unclosed"))));
    suite.add("hub.sessions with an unknown field", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.sessions", str("colour=red"))));
    suite.add("hub.session of an unknown address", fault(FaultCode.NOT_FOUND),
        () -> rpc(call("hub.session", str("127.0.0.9:1"))));
    suite.add("hub.session of garbage", fault(FaultCode.NOT_FOUND),
        () -> rpc(call("hub.session", str("../../etc/passwd"))));
    suite.add("hub.session without params", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.session")));
    suite.add("hub.command on an unknown session", fault(FaultCode.NOT_FOUND),
        () -> rpc(call("hub.command", str("127.0.0.9:1"), str("print(1)"))));
    suite.add("hub.command without code", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.command", str(address))));
    suite.add("hub.command with code as an int", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.command", str(address), "<int>1</int>")));
    suite.add("hub.command timeout as text", fault(FaultCode.INVALID_PARAMS, "timeout"),
        () -> rpc(call("hub.command", str(address), str("print(1)"), str("soon"))));
    suite.add("hub.command timeout beyond an hour", fault(FaultCode.INVALID_PARAMS, "timeout"),
        () -> rpc(call("hub.command", str(address), str("print(1)"), "<double>99999</double>")));
    suite.add("hub.broadcast with a bad selector", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.broadcast", str("!"), str("print(1)"))));
    suite.add("hub.broadcast with a struct selector", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.broadcast", "<struct></struct>", str("print(1)"))));
    suite.add("hub.broadcast timeout zero", fault(FaultCode.INVALID_PARAMS, "timeout"),
        () -> rpc(call("hub.broadcast", str(""), str("print(1)"), "<double>0</double>")));
    suite.add("hub.job of an unknown id", fault(FaultCode.NOT_FOUND),
        () -> rpc(call("hub.job", str(UUID.randomUUID().toString()))));
    suite.add("hub.register with a string", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.register", str("me"))));
    suite.add("hub.register without a url", fault(FaultCode.INVALID_PARAMS, "url"),
        () -> rpc(call("hub.register", struct("exe", str("x")))));
    suite.add("hub.register with credentials in the url", fault(FaultCode.INVALID_PARAMS, "url"),
        () -> rpc(call("hub.register", struct("exe", str("x"), "url", str("http://u:p@127.0.0.1:9/")))));
    suite.add("hub.register with a file url", fault(FaultCode.INVALID_PARAMS, "url"),
        () -> rpc(call("hub.register", struct("exe", str("x"), "url", str("file:///etc/passwd")))));
    suite.add("hub.register without exe", fault(FaultCode.INVALID_PARAMS, "exe"),
        () -> rpc(call("hub.register", struct("url", str("http://127.0.0.1:9/")))));
    suite.add("hub.heartbeat of an unknown session", value(Boolean.FALSE),
        () -> rpc(call("hub.heartbeat", str("127.0.0.9:1"), str("nope"))));
    suite.add("hub.heartbeat of a session with a wrong id", value(Boolean.FALSE),
        () -> rpc(call("hub.heartbeat", str(address), str("not-its-session-id"))));
    suite.add("hub.deregister of a session with a wrong id", value(Boolean.FALSE),
        () -> rpc(call("hub.deregister", str(address), str("not-its-session-id"))));
    suite.add("hub.deregister with an array", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("hub.deregister", "<array><data/></array>")));
  }

  /** A struct value from name/value-content pairs. */
  private static String struct(String... pairs) {
    StringBuilder s = new StringBuilder("<struct>");
    for (int i = 0; i < pairs.length; i += 2) {
      s.append("<member><name>").append(pairs[i]).append("</name><value>").append(pairs[i + 1])
          .append("</value></member>");
    }
    return s.append("</struct>").toString();
  }

  private static void rest(BadInputSuite suite) {
    suite.add("broadcast with broken JSON", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"code\": ".getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with a JSON array", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "[1,2]".getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with an empty body", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", new byte[0])));
    suite.add("broadcast with invalid UTF-8 JSON", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':',
            '1', '}'})));
    suite.add("broadcast with JSON nested 5000 deep", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", ("{\"code\":\"1\",\"x\":" + "[".repeat(5000)
            + "]".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast without code", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"selector\":\"\"}".getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with code as a number", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"code\":42}".getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with a selector that is a number", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"selector\":5,\"code\":\"print(1)\"}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with a selector that is a list", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"selector\":[\"app=x\"],\"code\":\"print(1)\"}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with a bad selector", apiError(400, "bad_selector"),
        () -> Wire.send(port, jsonPost("/api/broadcast", broadcast("app=[", "print(1)")
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with timeout as text", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"code\":\"1\",\"timeout\":\"soon\"}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with a negative timeout", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"code\":\"1\",\"timeout\":-1}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with a timeout beyond an hour", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"code\":\"1\",\"timeout\":1e9}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("broadcast with wait as text", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/broadcast", "{\"selector\":\"id=none\",\"code\":\"1\",\"wait\":\"yes\"}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("command on an unknown session", apiError(404, "unknown_session"),
        () -> Wire.send(port, jsonPost("/api/sessions/127.0.0.9:1/command", "{\"code\":\"print(1)\"}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("command on an encoded path", closed(400, 404),
        () -> Wire.send(port, jsonPost("/api/sessions/%2e%2e%2f%2e%2e%2f/command", "{\"code\":\"print(1)\"}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("command with broken JSON", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/sessions/" + address + "/command", "code=print(1)"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("command with code as an object", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/sessions/" + address + "/command", "{\"code\":{\"a\":1}}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("command with timeout as a boolean", apiError(400, "bad_request"),
        () -> Wire.send(port, jsonPost("/api/sessions/" + address + "/command", "{\"code\":\"1\",\"timeout\":true}"
            .getBytes(StandardCharsets.UTF_8))));
    suite.add("GET an unknown session", apiError(404, "unknown_session"),
        () -> get("/api/sessions/127.0.0.9:1"));
    suite.add("GET sessions with a bad selector", apiError(400, "bad_selector"),
        () -> get("/api/sessions?selector=app%3D%5B"));
    suite.add("GET sessions with an unknown selector field", apiError(400, "bad_selector"),
        () -> get("/api/sessions?selector=colour%3Dred"));
    suite.add("GET an unknown job", apiError(404, "unknown_job"),
        () -> get("/api/jobs/" + UUID.randomUUID()));
    suite.add("GET jobs with a limit that is text", apiError(400, "bad_request"),
        () -> get("/api/jobs?limit=many"));
    suite.add("GET an unknown API", apiError(404, "not_found"),
        () -> get("/api/nothing/here"));
    suite.add("DELETE a session", closed(404, 405),
        () -> Wire.send(port, "DELETE /api/sessions/" + address + " HTTP/1.1\r\nHost: x\r\n" + bearer(token)
            + "\r\nConnection: close\r\n\r\n"));
    suite.add("broadcast body over the limit", status(413),
        () -> Wire.send(port, jsonPost("/api/broadcast", ("{\"code\":\"" + "#".repeat(MAX_BODY * 2) + "\"}")
            .getBytes(StandardCharsets.UTF_8))));
  }

  private static void eventStreams(BadInputSuite suite) {
    suite.add("events without a token", apiError(401, "unauthorized"),
        () -> getWithout("/api/events"));
    suite.add("events with a wrong query token", apiError(401, "unauthorized"),
        () -> getWithout("/api/events?token=wrong"));
    suite.add("events with an empty query token", apiError(401, "unauthorized"),
        () -> getWithout("/api/events?token="));
    suite.add("events with a wrong Bearer token", apiError(401, "unauthorized"),
        () -> getWithout("/api/events", bearer("wrong")));
    suite.add("job events with a wrong query token", apiError(401, "unauthorized"),
        () -> getWithout("/api/jobs/" + UUID.randomUUID() + "/events?token=wrong"));
    suite.add("job events of an unknown job", apiError(404, "unknown_job"),
        () -> get("/api/jobs/" + UUID.randomUUID() + "/events"));
    suite.add("query token on a non-stream API", apiError(401, "unauthorized"),
        () -> getWithout("/api/sessions?token=" + token));
    suite.add("query token on a POST", apiError(401, "unauthorized"),
        () -> Wire.send(port, Wire.post(port, "/RPC2?token=" + token, SESSIONS)));
  }

  private static void sizesAndTimeouts(BadInputSuite suite) {
    byte[] big = new byte[MAX_BODY * 3];
    java.util.Arrays.fill(big, (byte) 'a');
    suite.add("RPC body over the limit with Content-Length", status(413),
        () -> rpc(big));
    suite.add("Content-Length of a terabyte, no body", status(413),
        () -> Wire.send(port, "POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token)
            + "\r\nContent-Length: 1000000000000\r\n\r\n"));
    suite.add("negative Content-Length", closed(400),
        () -> Wire.send(port, "POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token)
            + "\r\nContent-Length: -5\r\n\r\nhello"));
    suite.add("Content-Length and chunked together", closed(400),
        () -> Wire.send(port, "POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Length: 5\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    suite.add("chunked body over the limit", status(413),
        () -> Wire.send(port, Wire.concat(chunkedHead(), chunks(MAX_BODY * 2, 4096))));
    suite.add("chunked body that never ends", closed(413).within(10_000),
        () -> Wire.chunkedForever(port, chunkedHead(), 8192, Duration.ofSeconds(20)));
    suite.add("RPC body that stalls", closed(408).within(CUT_WITHIN_MS),
        () -> Wire.stall(port, Wire.postHead(port, "/RPC2", 1000, bearer(token)),
            "<?xml".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(20)));
    suite.add("REST body dribbled a byte at a time", closed(408).within(CUT_WITHIN_MS),
        () -> Wire.dribble(port, jsonHead("/api/broadcast", 5000), broadcast("", "print(1)")
            .getBytes(StandardCharsets.UTF_8), DRIBBLE, true, Duration.ofSeconds(20)));
    suite.add("headers dribbled a byte at a time", closed(408).within(CUT_WITHIN_MS),
        () -> Abuse.dribbleHeaders(port, DRIBBLE, Duration.ofSeconds(20)));
    suite.add("request line that stalls", closed(408).within(CUT_WITHIN_MS),
        () -> Wire.stall(port, "GET /api/sess".getBytes(StandardCharsets.US_ASCII), new byte[0],
            Duration.ofSeconds(20)));
    suite.add("connection that never sends a byte", closed(408).within(CUT_WITHIN_MS),
        () -> Wire.stall(port, new byte[0], new byte[0], Duration.ofSeconds(20)));
    suite.add("headers dribbled after a good keep-alive request", closed(408).within(IDLE_CUT_WITHIN_MS),
        () -> Abuse.keepAliveThenDribble(port, keepAlive(SESSIONS), DRIBBLE, Duration.ofSeconds(15)));
    suite.add("32 slow-loris clients while others are served", closed(408).within(IDLE_CUT_WITHIN_MS),
        () -> Abuse.slowLorisCrowd(port, 16, Wire.postHead(port, "/RPC2", 5000, bearer(token)),
            SESSIONS.getBytes(StandardCharsets.UTF_8), DRIBBLE, HubBadInputSuiteTest::hubAnswers,
            Duration.ofSeconds(2)));
  }

  private static byte[] jsonHead(String path, int length) {
    return ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + bearer(token)
        + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] keepAlive(String xml) {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    return Wire.concat(("POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body);
  }

  private static byte[] chunkedHead() {
    return ("POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Type: text/xml\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] chunks(int total, int size) {
    StringBuilder s = new StringBuilder();
    for (int sent = 0; sent < total; sent += size) {
      s.append(Integer.toHexString(size)).append("\r\n").append("a".repeat(size)).append("\r\n");
    }
    return s.append("0\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void httpLevel(BadInputSuite suite) {
    suite.add("GET /RPC2", closed(404, 405),
        () -> get("/RPC2"));
    suite.add("PUT /RPC2", status(405),
        () -> Wire.send(port, "PUT /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token)
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    suite.add("POST to an unknown path", closed(404, 405),
        () -> Wire.send(port, Wire.post(port, "/../../etc/passwd", SESSIONS, bearer(token))));
    suite.add("garbage bytes instead of HTTP", closed(400),
        () -> Wire.send(port, new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xA5, 0x01, 0x00, 0x00, (byte) 0xA1, 0x03,
            0x03, '\r', '\n', '\r', '\n'}));
    suite.add("an SSH greeting", closed(400),
        () -> Wire.send(port, "SSH-2.0-OpenSSH_9.2p1\r\n\r\n"));
    suite.add("an HTTP/2 preface (no h2c)", closed(400, 501, 505),
        () -> Wire.send(port, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    suite.add("header line without a colon", closed(400),
        () -> Wire.send(port, "POST /RPC2 HTTP/1.1\r\nHost: x\r\nthis is no header\r\nContent-Length: 0\r\n\r\n"));
    suite.add("one 20 KiB header", closed(431, 400),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, bearer(token), "X-Big: " + "b".repeat(20 * 1024))));
    suite.add("2000 small headers", closed(431, 400),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, manyHeaders(2000))));
    suite.add("a 10 KiB request URI", closed(414, 400),
        () -> get("/api/sessions?selector=" + "u".repeat(10 * 1024)));
  }

  private static String[] manyHeaders(int n) {
    String[] headers = new String[n + 1];
    headers[0] = bearer(token);
    for (int i = 1; i <= n; i++) {
      headers[i] = "X-H" + i + ": v";
    }
    return headers;
  }

  private static void authentication(BadInputSuite suite) {
    suite.add("RPC without a token", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS)));
    suite.add("REST without a token", apiError(401, "unauthorized"),
        () -> getWithout("/api/sessions"));
    suite.add("broadcast without a token", apiError(401, "unauthorized"),
        () -> Wire.send(port, Wire.post(port, "/api/broadcast", broadcast("", "print('pwned')"))));
    suite.add("RPC Basic with a wrong token", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, basic("hub:wrong"))));
    suite.add("REST Bearer with a wrong token", apiError(401, "unauthorized"),
        () -> getWithout("/api/sessions", bearer("wrong")));
    suite.add("Bearer with a prefix of the token", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, bearer(token.substring(0, token.length() - 1)))));
    suite.add("Basic that is not base64", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, "Authorization: Basic %%%")));
    suite.add("Basic with the token but no colon", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, "Authorization: Basic "
            + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))));
    suite.add("Bearer with nothing", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, "Authorization: Bearer ")));
    suite.add("the token as a bare header", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, "Authorization: " + token)));
    suite.add("Digest scheme", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SESSIONS, "Authorization: Digest username=\"x\"")));
    suite.add("replayed request after the token changed", status(401),
        HubBadInputSuiteTest::replayAfterTokenChange);
  }

  /**
   * Captures a proper authenticated REST and XML-RPC request, restarts the hub on the same port and Hazelcast
   * member with a new token, and replays the captured bytes: both refused. Later cases use the new token.
   */
  private static Wire.Answer replayAfterTokenChange() throws Exception {
    byte[] capturedRpc = Wire.post(port, "/RPC2", SESSIONS, bearer(token));
    byte[] capturedRest = ("GET /api/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + basic("u:" + token)
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(200, Wire.send(port, capturedRpc).status(), "the captured request works while its token is current");
    assertEquals(200, Wire.send(port, capturedRest).status());
    hub.close().await(10, TimeUnit.SECONDS);
    hub = Hub.start(vertx, hazelcast, new HubOptions(options).setToken(NEW_TOKEN)).await(30, TimeUnit.SECONDS);
    token = NEW_TOKEN;
    assertEquals(port, hub.httpPort());
    Wire.Answer rest = Wire.send(port, capturedRest);
    assertEquals(401, rest.status(), () -> "the replayed REST request: " + rest);
    return Wire.send(port, capturedRpc);
  }

  private static void load(BadInputSuite suite) {
    suite.add("300 idle connections held open", status(200),
        () -> Abuse.whileIdleConnectionsOpen(port, 300, () -> rpc(SESSIONS)));
    suite.add("64 concurrent RPC calls", status(200),
        () -> Abuse.concurrently(64, 200, () -> rpc(SESSIONS)));
    suite.add("64 concurrent REST calls", status(200),
        () -> Abuse.concurrently(64, 200, () -> get("/api/sessions")));
  }
}
