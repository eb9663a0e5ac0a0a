package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.JavaAgentUnderTest;
import dev.sessionhub.agent.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent wire contract, checked with the Apache XML-RPC client (a client we did not write) against a real
 * agent on a loopback port chosen at run time. Written once and run against every implementation: the Java agent
 * here, the Python agent under python3 and CPython 2.7 in {@link PythonAgentContractTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentContractTest {

  private AgentUnderTest agent;
  private XmlRpcClient client;

  /** The implementation under test; subclasses name theirs. */
  protected AgentUnderTest.Factory implementation() {
    return JavaAgentUnderTest::start;
  }

  @BeforeAll
  void start() throws Exception {
    agent = implementation().start(
        new AgentOptions().setPort(FreePorts.one()).addTag("show", "abc").setName("lighting"));
    XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
    config.setServerURL(new URL("http://127.0.0.1:" + agent.port() + "/"));
    config.setReplyTimeout(30_000);
    client = new XmlRpcClient();
    client.setConfig(config);
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private Object call(String method, Object... params) throws XmlRpcException {
    return client.execute(method, params);
  }

  @Test
  void serverDataHasEveryContractKeyWithItsType() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) call("server_data");
    for (String key : List.of("hostname", "app_version", "file_path", "exe", "app", "session_id", "agent_version",
        "started_at", "user")) {
      assertTrue(data.get(key) instanceof String, key + " should be a string: " + data.get(key));
    }
    assertTrue(data.get("scene_objects") instanceof Object[], "scene_objects is an array");
    assertArrayEquals(new Object[] {"Cube", "Camera"}, (Object[]) data.get("scene_objects"));
    assertEquals((int) agent.pid(), data.get("pid"));
    assertEquals(agent.port(), data.get("port"));
    assertEquals("testapp-bin", data.get("exe"));
    assertEquals("testapp", data.get("app"));
    assertEquals("1.2.3", data.get("app_version"));
    assertEquals("/shows/demo/sh010.blend", data.get("file_path"));
    assertEquals(agent.sessionId(), data.get("session_id"));
    assertEquals(agent.mainThread(), data.get("main_thread"));
    assertEquals(Boolean.FALSE, data.get("headless"));
    assertEquals(Map.of("show", "abc", "name", "lighting"), data.get("tags"));
  }

  @Test
  void sceneObjectsFollowsWhatTheHostPublishes() throws Exception {
    assertEquals("Cube,Camera", call("scene_objects"));
    agent.publish(List.of("Cube", "Camera", "Sphere"));
    try {
      assertEquals("Cube,Camera,Sphere", call("scene_objects"));
    } finally {
      agent.publish(List.of("Cube", "Camera"));
    }
  }

  @Test
  void commandReturnsWhatItPrintedInPython3Style() throws Exception {
    assertEquals("a 1\n3.5\n", call("command", "print('a', 1)\nprint(7/2)"));
    assertEquals("", call("command", "x = 40"));
  }

  @Test
  void namespacePersistsBetweenCommands() throws Exception {
    call("command", "counter = 1\ndef bump():\n    global counter\n    counter += 1\n    return counter");
    call("command", "bump()");
    assertEquals("3\n", call("command", "print(bump())"));
    assertEquals(3, call("evaluate", "counter"));
  }

  @Test
  void nonLatinTextSurvivesBothWays() throws Exception {
    assertEquals("Ωmega 東京 ünï\n", call("command", "print('Ωmega 東京 ünï')"));
    assertEquals("Ωmega 東京", call("evaluate", "u'Ωmega 東京'"));
  }

  @Test
  void stderrIsCapturedToo() throws Exception {
    assertEquals("out\nerr\n", call("command", "import sys\nprint('out')\nsys.stderr.write('err\\n')"));
  }

  @Test
  void anExceptionIsFaultOneWithTypeMessageAndTraceback() {
    XmlRpcException e = assertThrows(XmlRpcException.class,
        () -> call("command", "print('before')\ndef f():\n    raise ValueError('bad frame')\nf()"));
    assertEquals(1, e.code);
    assertTrue(e.getMessage().startsWith("ValueError: bad frame"), e.getMessage());
    assertTrue(e.getMessage().contains("Traceback (most recent call last):"), e.getMessage());
    assertEquals(e.getMessage().indexOf("Traceback"), e.getMessage().lastIndexOf("Traceback"),
        "the traceback header appears once: " + e.getMessage());
    assertTrue(e.getMessage().contains("line 3, in f"), e.getMessage());
    assertTrue(e.getMessage().contains("before"), "output before the error is kept: " + e.getMessage());
  }

  @Test
  void syntaxErrorsAreFaultOneToo() {
    XmlRpcException e = assertThrows(XmlRpcException.class, () -> call("command", "def ("));
    assertEquals(1, e.code);
    assertTrue(e.getMessage().startsWith("SyntaxError"), e.getMessage());
  }

  @Test
  void evaluateReturnsXmlRpcValues() throws Exception {
    assertEquals(42, call("evaluate", "6*7"));
    assertEquals(2.5, call("evaluate", "5/2"));
    assertEquals("abc", call("evaluate", "'abc'"));
    assertEquals(Boolean.TRUE, call("evaluate", "1 == 1"));
    assertArrayEquals(new Object[] {1, "two", 3.0}, (Object[]) call("evaluate", "[1, 'two', 3.0]"));
    assertEquals(Map.of("k", 1), call("evaluate", "{'k': 1}"));
    assertTrue(((String) call("evaluate", "object()")).startsWith("<object object"));
  }

  @Test
  void introspectionMethodsDescribeTheServer() throws Exception {
    List<Object> methods = List.of((Object[]) call("system.listMethods"));
    assertTrue(methods.containsAll(List.of("server_data", "command", "scene_objects", "evaluate",
        "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall")), methods::toString);
    assertTrue(((String) call("system.methodHelp", "command")).contains("main thread"));
    Object[] signatures = (Object[]) call("system.methodSignature", "command");
    assertArrayEquals(new Object[] {"string", "string"}, (Object[]) signatures[0]);
  }

  @Test
  void multicallAnswersEachCallOrItsFault() throws Exception {
    Object[] results = (Object[]) call("system.multicall", (Object) new Object[] {
        Map.of("methodName", "evaluate", "params", new Object[] {"1+1"}),
        Map.of("methodName", "no_such_method", "params", new Object[] {}),
        Map.of("methodName", "scene_objects", "params", new Object[] {})});
    assertEquals(3, results.length);
    assertArrayEquals(new Object[] {2}, (Object[]) results[0]);
    @SuppressWarnings("unchecked")
    Map<String, Object> fault = (Map<String, Object>) results[1];
    assertEquals(-32601, fault.get("faultCode"));
    assertArrayEquals(new Object[] {"Cube,Camera"}, (Object[]) results[2]);
  }

  @Test
  void unknownMethodAndWrongTypesAreProtocolFaults() {
    XmlRpcException unknown = assertThrows(XmlRpcException.class, () -> call("render_all"));
    assertEquals(-32601, unknown.code);
    assertEquals("method 'render_all' is not supported", unknown.getMessage());
    XmlRpcException wrongType = assertThrows(XmlRpcException.class, () -> call("command", 42));
    assertEquals(-32602, wrongType.code);
    assertEquals("command: parameter 'code' must be a string, got int", wrongType.getMessage());
    XmlRpcException arity = assertThrows(XmlRpcException.class, () -> call("server_data", "extra"));
    assertEquals(-32602, arity.code);
  }

  @Test
  void statusJsonAndPageDescribeTheSessionWithoutSecrets() throws Exception {
    RawHttp.Response status = RawHttp.get(agent.port(), "/status");
    assertEquals(200, status.status());
    JsonObject json = new JsonObject(status.text());
    assertEquals(agent.sessionId(), json.getString("session_id"));
    assertTrue(json.getLong("requests") >= 1);
    assertEquals(0, json.getInteger("queue_depth"));
    RawHttp.Response page = RawHttp.get(agent.port(), "/");
    assertEquals(200, page.status());
    assertTrue(page.text().contains("Server Panel") && page.text().contains(agent.sessionId()));
    assertEquals(404, RawHttp.get(agent.port(), "/nope").status());
  }

  @Test
  void everyStartHasANewSessionId() throws Exception {
    try (AgentUnderTest other = implementation().start(new AgentOptions().setPort(0))) {
      assertNotEquals(agent.sessionId(), other.sessionId());
      assertNotEquals(agent.port(), other.port());
    }
    assertFalse(agent.sessionId().isEmpty());
  }
}
