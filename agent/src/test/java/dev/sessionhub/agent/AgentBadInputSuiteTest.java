package dev.sessionhub.agent;

import static dev.sessionhub.agent.testing.BadInputSuite.Expect.closed;
import static dev.sessionhub.agent.testing.BadInputSuite.Expect.fault;
import static dev.sessionhub.agent.testing.BadInputSuite.Expect.status;
import static dev.sessionhub.agent.testing.XmlPayloads.call;
import static dev.sessionhub.agent.testing.XmlPayloads.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.Abuse;
import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.JavaAgentUnderTest;
import dev.sessionhub.agent.testing.Bait;
import dev.sessionhub.agent.testing.BadInputSuite;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.ProcessHealth;
import dev.sessionhub.agent.testing.Wire;
import dev.sessionhub.agent.testing.XmlPayloads;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent's bad-input suite: one running agent with a token on a real loopback socket meets a table of hostile
 * and broken requests (XXE, entity bombs, deep nesting, huge and endless bodies, slow-loris clients, broken
 * UTF-8, wrong types and counts, wrong methods, paths and tokens, a request replayed after the token changed,
 * huge headers, many connections). Every case gets its typed answer and a normal authenticated call succeeds
 * after it. Each case is its own dynamic test, and none relies on another having run first. After all of them
 * the serving process holds no more threads, descriptors or memory than before, within a small margin. Written
 * once, run against every implementation: the Java agent here (this JVM), the Python agent in
 * {@link PythonAgentBadInputSuiteTest} (the child process, from {@code /proc}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentBadInputSuiteTest {

  private static final String TOKEN = "agent-tok-1";
  private static final String NEW_TOKEN = "agent-tok-2";
  private static final int MAX_BODY = 64 * 1024;
  private static final Duration READ_TIMEOUT = Duration.ofMillis(1000);
  /** How late a timeout-based cut may come: the read timeout plus room for a busy two-core machine. */
  private static final long CUT_WITHIN_MS = READ_TIMEOUT.toMillis() + 2500;
  private static final Duration DRIBBLE = Duration.ofMillis(100);
  private static final String SERVER_DATA = call("server_data");

  private static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();

  private AgentUnderTest agent;
  private int port;
  private volatile String token = TOKEN;
  private Bait bait;
  private ProcessHealth baseline;
  private BadInputSuite suite;

  /** The implementation under test; {@link PythonAgentBadInputSuiteTest} names the Python agent's. */
  protected AgentUnderTest.Factory implementation() {
    return JavaAgentUnderTest::start;
  }

  /** One agent for all cases, warmed up, its threads, descriptors and memory noted before any case runs. */
  @BeforeAll
  void start() throws Exception {
    port = FreePorts.one();
    bait = new Bait();
    agent = implementation().start(options(TOKEN));
    warmUp();
    baseline = agent.health();
    suite = new BadInputSuite("agent " + agent.label(), this::serverDataAnswersAndNothingFetched);
    xmlAttacks(suite);
    sizesAndTimeouts(suite);
    encodingsAndTypes(suite);
    httpLevel(suite);
    authentication(suite);
    load(suite);
  }

  private AgentOptions options(String withToken) {
    return new AgentOptions().setPort(port).setToken(withToken)
        .setMaxBodyBytes(MAX_BODY).setRequestReadTimeout(READ_TIMEOUT)
        .setCommandTimeout(Duration.ofSeconds(5)).setCommandQueueLength(4);
  }

  /** After the cases: no XXE payload reached the bait, and the agent holds no more than it did before them. */
  @AfterAll
  void stop() throws Exception {
    try {
      if (suite != null) {
        System.out.println(suite.summary());
        assertEquals(0, bait.connections(), "no XXE payload made the agent connect anywhere");
        ProcessHealth after = ProcessHealth.assertBackTo(baseline, 8, 16, 64L << 20, Duration.ofSeconds(30),
            agent::health);
        System.out.println("bad-input[agent " + agent.label() + "]: baseline " + baseline + ", after the cases "
            + after);
        serverDataAnswers();
      }
    } finally {
      if (agent != null) {
        agent.close();
      }
      if (bait != null) {
        bait.close();
      }
    }
  }

  private String bearer(String t) {
    return "Authorization: Bearer " + t;
  }

  private String basic(String userAndPassword) {
    return "Authorization: Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(
        StandardCharsets.UTF_8));
  }

  /** A whole authenticated POST of {@code xml} to /RPC2. */
  private Wire.Answer rpc(String xml) {
    return Wire.send(port, Wire.post(port, "/RPC2", xml, bearer(token)));
  }

  private Wire.Answer rpc(byte[] body) {
    return Wire.send(port, Wire.post(port, "/RPC2", body, bearer(token)));
  }

  private Wire.Answer raw(String request) {
    return Wire.send(port, request);
  }

  /** server_data with the current token answers this agent's struct. */
  private void serverDataAnswers() {
    Wire.Answer a = rpc(SERVER_DATA);
    assertEquals(200, a.status(), a::toString);
    XmlRpcResponse r;
    try {
      r = CODEC.decodeResponse(a.body());
    } catch (dev.sessionhub.shared.xmlrpc.XmlRpcCodecException e) {
      throw new AssertionError("server_data answer does not decode: " + a, e);
    }
    assertFalse(r.isFault(), () -> "server_data faulted: " + r.fault());
    assertEquals(agent.sessionId(), ((Map<?, ?>) r.value()).get("session_id"));
  }

  /** The check after every case: a normal call is served, and no bad input made the agent fetch the bait. */
  private void serverDataAnswersAndNothingFetched() {
    serverDataAnswers();
    assertEquals(0, bait.connections(), "no XXE payload made the agent connect anywhere");
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputGetsItsTypedAnswerAndANormalCallAfterIt() {
    assertTrue(suite.size() >= 60, suite::summary);
    return suite.tests();
  }

  /** Event-loop threads, the interpreter and the worker pool come to life before the baseline is taken. */
  private void warmUp() throws Exception {
    assertEquals(200, rpc(call("command", str("print(1)"))).status());
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        calls.add(pool.submit(this::serverDataAnswers));
      }
      for (Future<?> f : calls) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private void xmlAttacks(BadInputSuite suite) {
    suite.add("xxe external entity", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.externalEntity(bait.url("secret"))));
    suite.add("xxe file entity", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.externalEntity("file:///etc/passwd")));
    suite.add("xxe parameter entity", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.parameterEntity(bait.url("p.dtd"))));
    suite.add("xxe external dtd", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.externalDtd("methodCall", "<methodCall><methodName>server_data</methodName>"
            + "</methodCall>", bait.url("evil.dtd"))));
    suite.add("xxe external dtd from a file", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.externalDtd("methodCall", "<methodCall><methodName>server_data</methodName>"
            + "</methodCall>", "file:///etc/passwd")));
    suite.add("billion laughs", fault(FaultCode.PARSE_ERROR, "DOCTYPE"),
        () -> rpc(XmlPayloads.billionLaughs("<methodCall><methodName>evaluate</methodName><params><param><value>"
            + "<string>HOLE</string></value></param></params></methodCall>")));
    suite.add("xinclude is not processed", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(XmlPayloads.PROLOG + "<methodCall xmlns:xi=\"http://www.w3.org/2001/XInclude\"><methodName>"
            + "evaluate</methodName><params><param><value><xi:include href=\"" + bait.url("inc")
            + "\"/></value></param></params></methodCall>"));
    suite.add("arrays one level past the depth limit", fault(FaultCode.INVALID_REQUEST, "32"),
        () -> rpc(XmlPayloads.nestedArrays("evaluate", AgentOptions.DEFAULT_MAX_XML_DEPTH + 1)));
    suite.add("structs one level past the depth limit", fault(FaultCode.INVALID_REQUEST, "32"),
        () -> rpc(XmlPayloads.nestedStructs("evaluate", AgentOptions.DEFAULT_MAX_XML_DEPTH + 1)));
    suite.add("100 nested arrays", fault(FaultCode.INVALID_REQUEST, "nesting exceeds"),
        () -> rpc(XmlPayloads.nestedArrays("evaluate", 100)));
    suite.add("1400 nested arrays", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(XmlPayloads.nestedArrays("evaluate", 1400)));
    suite.add("5000 nested foreign elements", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(XmlPayloads.nestedElements(5000)));
  }

  private void sizesAndTimeouts(BadInputSuite suite) {
    byte[] big = new byte[MAX_BODY * 3];
    java.util.Arrays.fill(big, (byte) 'a');
    suite.add("body over the limit with Content-Length", status(413).mentioning("exceeds " + MAX_BODY + " bytes"),
        () -> rpc(big));
    suite.add("Content-Length of a terabyte, no body", status(413),
        () -> raw("POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Length: 1000000000000\r\n\r\n"));
    suite.add("Content-Length beyond a long", closed(400),
        () -> raw("POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token)
            + "\r\nContent-Length: 99999999999999999999999\r\n\r\n"));
    suite.add("negative Content-Length", closed(400),
        () -> raw("POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Length: -5\r\n\r\nhello"));
    suite.add("Content-Length and chunked together", closed(400),
        () -> raw("POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Length: 5\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    suite.add("chunked body over the limit", status(413),
        () -> Wire.send(port, Wire.concat(chunkedHead(), chunks(MAX_BODY * 2, 4096))));
    suite.add("chunked body that never ends", closed(413).within(10_000),
        () -> Wire.chunkedForever(port, chunkedHead(), 8192, Duration.ofSeconds(20)));
    suite.add("body that stalls", status(408).within(CUT_WITHIN_MS),
        () -> Wire.stall(port, Wire.postHead(port, "/RPC2", 1000, bearer(token)),
            "<?xml".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(20)));
    suite.add("body dribbled a byte at a time", status(408).within(CUT_WITHIN_MS),
        () -> Wire.dribble(port, Wire.postHead(port, "/RPC2", 5000, bearer(token)),
            SERVER_DATA.getBytes(StandardCharsets.UTF_8), DRIBBLE, true, Duration.ofSeconds(20)));
    suite.add("headers dribbled a byte at a time", closed(408).within(CUT_WITHIN_MS),
        () -> Abuse.dribbleHeaders(port, DRIBBLE, Duration.ofSeconds(20)));
    suite.add("request line that stalls", closed(408).within(CUT_WITHIN_MS),
        () -> Wire.stall(port, "POST /RP".getBytes(StandardCharsets.US_ASCII), new byte[0],
            Duration.ofSeconds(20)));
    suite.add("connection that never sends a byte", closed(408).within(CUT_WITHIN_MS),
        () -> Wire.stall(port, new byte[0], new byte[0], Duration.ofSeconds(20)));
    suite.add("headers dribbled after a good keep-alive request", closed(408).within(CUT_WITHIN_MS + 1000),
        () -> Abuse.keepAliveThenDribble(port, keepAlive(SERVER_DATA), DRIBBLE, Duration.ofSeconds(15)));
    suite.add("32 slow-loris clients while others are served", closed(408).within(CUT_WITHIN_MS + 1000),
        () -> Abuse.slowLorisCrowd(port, 16, Wire.postHead(port, "/RPC2", 5000, bearer(token)),
            SERVER_DATA.getBytes(StandardCharsets.UTF_8), DRIBBLE, this::serverDataAnswers,
            Duration.ofSeconds(1)));
  }

  /** A keep-alive (no Connection: close) authenticated POST of {@code xml}. */
  private byte[] keepAlive(String xml) {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    return Wire.concat(("POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body);
  }

  private byte[] chunkedHead() {
    return ("POST /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Type: text/xml\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private byte[] chunks(int total, int size) {
    StringBuilder s = new StringBuilder();
    for (int sent = 0; sent < total; sent += size) {
      s.append(Integer.toHexString(size)).append("\r\n").append("a".repeat(size)).append("\r\n");
    }
    return s.append("0\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private void encodingsAndTypes(BadInputSuite suite) {
    suite.add("invalid UTF-8", fault(FaultCode.PARSE_ERROR, "UTF-8"),
        () -> rpc(XmlPayloads.commandWithBytes((byte) 0xC3, (byte) 0x28, (byte) 0xFF)));
    suite.add("overlong UTF-8 slash", fault(FaultCode.PARSE_ERROR, "UTF-8"),
        () -> rpc(XmlPayloads.commandWithBytes((byte) 0xC0, (byte) 0xAF)));
    suite.add("UTF-8 surrogate half", fault(FaultCode.PARSE_ERROR, "UTF-8"),
        () -> rpc(XmlPayloads.commandWithBytes((byte) 0xED, (byte) 0xA0, (byte) 0x80)));
    suite.add("NUL character reference", fault(FaultCode.PARSE_ERROR),
        () -> rpc(call("command", "<string>a&#0;b</string>")));
    suite.add("command with an int", fault(FaultCode.INVALID_PARAMS, "must be a string, got int"),
        () -> rpc(call("command", "<int>7</int>")));
    suite.add("command with no params", fault(FaultCode.INVALID_PARAMS, "command takes 1 to 3 parameters, got 0"),
        () -> rpc(call("command")));
    suite.add("command with four params", fault(FaultCode.INVALID_PARAMS, "got 4"),
        () -> rpc(call("command", str("1"), "<double>1</double>", str("x"), str("y"))));
    suite.add("command timeout as text", fault(FaultCode.INVALID_PARAMS, "'timeout' must be a number of seconds"),
        () -> rpc(call("command", str("1"), str("soon"))));
    suite.add("command timeout negative", fault(FaultCode.INVALID_PARAMS, "timeout"),
        () -> rpc(call("command", str("1"), "<double>-1</double>")));
    suite.add("server_data with a param", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("server_data", str("x"))));
    suite.add("evaluate with a struct", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("evaluate", "<struct><member><name>a</name><value><int>1</int></value></member></struct>")));
    suite.add("system.multicall with a string", fault(FaultCode.INVALID_PARAMS),
        () -> rpc(call("system.multicall", str("not a list"))));
    suite.add("unknown method", fault(FaultCode.METHOD_NOT_FOUND, "method 'rm_rf' is not supported"),
        () -> rpc(call("rm_rf")));
    suite.add("empty method name", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(call("")));
    suite.add("int beyond 32 bits", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(call("command", "<int>99999999999999</int>")));
    suite.add("int beyond 64 bits", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(call("command", "<int>99999999999999999999</int>")));
    suite.add("boolean that is 2", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(call("command", "<boolean>2</boolean>")));
    suite.add("double that is not a number", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(call("command", "<double>one</double>")));
    suite.add("base64 with data after its padding", fault(FaultCode.INVALID_REQUEST, "base64"),
        () -> rpc(call("command", "<base64>QQ==QUFB</base64>")));
    suite.add("dateTime that is no date", fault(FaultCode.INVALID_REQUEST),
        () -> rpc(call("command", "<dateTime.iso8601>yesterday</dateTime.iso8601>")));
    suite.add("empty body", fault(FaultCode.PARSE_ERROR, "empty"),
        () -> rpc(new byte[0]));
    suite.add("not XML", fault(FaultCode.PARSE_ERROR),
        () -> rpc("this is not xml at all"));
    suite.add("JSON-RPC", fault(FaultCode.PARSE_ERROR),
        () -> rpc("{\"jsonrpc\":\"2.0\",\"method\":\"server_data\",\"id\":1}"));
    suite.add("truncated XML", fault(FaultCode.PARSE_ERROR),
        () -> rpc("<?xml version=\"1.0\"?><methodCall><methodName>server_data</methodName><params>"));
    suite.add("wrong root element", fault(FaultCode.INVALID_REQUEST),
        () -> rpc("<?xml version=\"1.0\"?><methodResponse><params/></methodResponse>"));
    suite.add("root element that is no XML-RPC", fault(FaultCode.INVALID_REQUEST),
        () -> rpc("<?xml version=\"1.0\"?><notACall/>"));
  }

  private void httpLevel(BadInputSuite suite) {
    suite.add("GET /RPC2", status(405),
        () -> raw("GET /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nConnection: close\r\n\r\n"));
    suite.add("PUT /RPC2", status(405),
        () -> raw("PUT /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token)
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    suite.add("PUT /", status(405),
        () -> raw("PUT / HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    suite.add("DELETE /RPC2", status(405),
        () -> raw("DELETE /RPC2 HTTP/1.1\r\nHost: x\r\n" + bearer(token) + "\r\nConnection: close\r\n\r\n"));
    suite.add("POST to an unknown path", status(404),
        () -> Wire.send(port, Wire.post(port, "/../../etc/passwd", SERVER_DATA, bearer(token))));
    suite.add("POST to another path", status(404),
        () -> Wire.send(port, Wire.post(port, "/other", SERVER_DATA, bearer(token))));
    suite.add("garbage bytes instead of HTTP", closed(400),
        () -> Wire.send(port, new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xA5, 0x01, 0x00, 0x00, (byte) 0xA1, 0x03,
            0x03, '\r', '\n', '\r', '\n'}));
    suite.add("an SSH greeting", closed(400),
        () -> raw("SSH-2.0-OpenSSH_9.2p1\r\n\r\n"));
    suite.add("an HTTP/2 preface (no h2c)", closed(400, 501, 505),
        () -> raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    suite.add("header line without a colon", closed(400),
        () -> raw("POST /RPC2 HTTP/1.1\r\nHost: x\r\nthis is no header\r\nContent-Length: 0\r\n\r\n"));
    suite.add("one 20 KiB header", closed(431, 400),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, bearer(token), "X-Big: " + "b".repeat(20 * 1024))));
    suite.add("2000 small headers", closed(431, 400),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, manyHeaders(2000))));
    suite.add("a 10 KiB request URI", closed(414, 400),
        () -> Wire.send(port, Wire.post(port, "/" + "u".repeat(10 * 1024), SERVER_DATA, bearer(token))));
  }

  private String[] manyHeaders(int n) {
    String[] headers = new String[n + 1];
    headers[0] = bearer(token);
    for (int i = 1; i <= n; i++) {
      headers[i] = "X-H" + i + ": v";
    }
    return headers;
  }

  private void authentication(BadInputSuite suite) {
    suite.add("no Authorization header", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA)));
    suite.add("Basic with a wrong token", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, basic("hub:wrong"))));
    suite.add("Bearer with a wrong token", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, bearer("wrong"))));
    suite.add("Bearer with a prefix of the token", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, bearer(token.substring(0, token.length() - 1)))));
    suite.add("Bearer with the token plus a byte", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, bearer(token + "x"))));
    suite.add("Basic that is not base64", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, "Authorization: Basic !!!notbase64")));
    suite.add("Basic with nothing", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, "Authorization: Basic ")));
    suite.add("Basic with the token but no colon", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, "Authorization: Basic "
            + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))));
    suite.add("Bearer with nothing", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, "Authorization: Bearer")));
    suite.add("the token as a bare header", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, "Authorization: " + token)));
    suite.add("Digest scheme", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2", SERVER_DATA, "Authorization: Digest username=\"x\"")));
    suite.add("token in the query string", status(401),
        () -> Wire.send(port, Wire.post(port, "/RPC2?token=" + token, SERVER_DATA)));
    suite.add("GET /status without a token", status(401),
        () -> raw("GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    suite.add("replayed request after the token changed", status(401),
        this::replayAfterTokenChange);
  }

  /**
   * Captures a proper authenticated request, restarts the agent on the same port with a new token, and replays
   * the captured bytes: refused. The health check afterwards uses the new token.
   */
  private Wire.Answer replayAfterTokenChange() throws Exception {
    byte[] captured = Wire.post(port, "/RPC2", SERVER_DATA, bearer(token));
    assertEquals(200, Wire.send(port, captured).status(), "the captured request works while its token is current");
    agent.restart(options(NEW_TOKEN));
    token = NEW_TOKEN;
    assertEquals(port, agent.port());
    return Wire.send(port, captured);
  }

  private void load(BadInputSuite suite) {
    suite.add("300 idle connections held open", status(200),
        () -> Abuse.whileIdleConnectionsOpen(port, 300, () -> rpc(SERVER_DATA)));
    suite.add("64 concurrent calls", status(200),
        () -> Abuse.concurrently(64, 200, () -> rpc(SERVER_DATA)));
    suite.add("a client that pipelines calls and never reads the answers", status(200),
        () -> Abuse.whileAClientNeverReads(port, Wire.keepAlivePost(port, "/RPC2", SERVER_DATA, bearer(token)),
            64L << 20, Duration.ofSeconds(5), Duration.ofSeconds(2), () -> rpc(SERVER_DATA)));
  }
}
