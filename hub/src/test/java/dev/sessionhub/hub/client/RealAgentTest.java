package dev.sessionhub.hub.client;

import static dev.sessionhub.hub.client.Await.failure;
import static dev.sessionhub.hub.client.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.hub.client.AgentCallException.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against real SessionHub agents (one open, one with a token) on loopback ports chosen at run time. */
@ExtendWith(VertxExtension.class)
class RealAgentTest {

  private static final Duration T = Duration.ofSeconds(20);

  private static Vertx vertx;
  private static RealAgent open;
  private static RealAgent guarded;
  private static ApacheAgentClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    open = RealAgent.start(vertx, new AgentOptions());
    guarded = RealAgent.start(vertx, new AgentOptions().setToken("t"));
    client = new ApacheAgentClient(vertx, new AgentClientOptions());
  }

  @AfterAll
  static void stop() throws Exception {
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
   * A worker sends a repeated call's body as it wrote it before (LastRequestBody): one worker and calls that
   * alternate between repeats and changes must each run exactly what was asked.
   */
  @Test
  void aRepeatedCallIsSentAsItselfAndAChangedOneAsTheChange() throws Exception {
    ApacheAgentClient oneWorker = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1));
    try {
      String[][] calls = {{"print(1)", "1\n"}, {"print(1)", "1\n"}, {"print(2)", "2\n"}, {"print(2)", "2\n"},
          {"print(1)", "1\n"}, {"print('\u03a9')", "\u03a9\n"}, {"print('\u03a9')", "\u03a9\n"}, {"print(1)", "1\n"}};
      for (String[] call : calls) {
        assertEquals(call[1], result(oneWorker.call(open.url(), "command", List.of(call[0]), T)), call[0]);
      }
      assertEquals("3\n", result(oneWorker.call(open.url(), "command", List.of("print(1 + 2)", 30.0), T)));
      assertEquals("3\n", result(oneWorker.call(open.url(), "command", List.of("print(1 + 2)"), T)));
      assertEquals(42, result(oneWorker.call(open.url(), "evaluate", List.of("40 + 2"), T)));
      assertEquals(43, result(oneWorker.call(open.url(), "evaluate", List.of("40 + 3"), T)));
    } finally {
      oneWorker.close();
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
    try (ApacheAgentClient withToken = new ApacheAgentClient(vertx, new AgentClientOptions().setToken("t"));
        ApacheAgentClient wrongToken = new ApacheAgentClient(vertx, new AgentClientOptions().setToken("x"))) {
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
  void twoHundredConcurrentCallsOnEightWorkersAllSucceed(VertxTestContext test) {
    ApacheAgentClient small = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(8));
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
