package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.JavaAgentUnderTest;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.RawHttp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's cancel extension over a real loopback port with the Apache XML-RPC client: {@code command(code,
 * timeout, id)} names a command, {@code cancel(id)} removes it while queued (it never runs) or interrupts it while
 * running; both answer the command's caller fault -32007, and the session goes on serving. Each test has its own
 * agent. Written once and run against every implementation: the Java agent here, the Python agent under python3
 * and CPython 2.7 in {@link PythonAgentCancelTest} (whose test host, a plain Python program, interrupts a running
 * command as the Java agent does).
 */
class AgentCancelTest {

  private AgentUnderTest agent;

  /** The implementation under test; subclasses name theirs. */
  protected AgentUnderTest.Factory implementation() {
    return JavaAgentUnderTest::start;
  }

  @BeforeEach
  void start() throws Exception {
    agent = implementation().start(new AgentOptions().setPort(FreePorts.one()));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private XmlRpcClient client() throws Exception {
    return agent.xmlRpcClient(60_000);
  }

  private CompletableFuture<Object> inBackground(String code, String id) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return client().execute("command", new Object[] {code, 30.0, id});
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  /** Commands queued or running, as the agent's {@code GET /status} reports them. */
  private int depth() {
    try {
      return new io.vertx.core.json.JsonObject(RawHttp.get(agent.port(), "/status").text()).getInteger("queue_depth");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static XmlRpcException faultOf(CompletableFuture<Object> call) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause() : e.getCause();
    assertTrue(cause instanceof XmlRpcException, String.valueOf(cause));
    return (XmlRpcException) cause;
  }

  @Test
  void aQueuedCommandIsRemovedAndNeverRunsARunningOneIsInterrupted() throws Exception {
    java.nio.file.Path started = java.nio.file.Files.createTempFile("started", ".txt");
    java.nio.file.Files.delete(started);
    CompletableFuture<Object> running = inBackground("open(" + pyString(started.toString()) + ", 'w').close()\n"
        + "n = 0\nwhile True:\n    n += 1", "job/a");
    Poll.until(Duration.ofSeconds(20), "the first command running", () -> java.nio.file.Files.exists(started));
    CompletableFuture<Object> queued = inBackground("ran_b = True", "job/b");
    Poll.until(Duration.ofSeconds(20), "the second command queued behind it", () -> depth() >= 2);

    assertEquals(Map.of("id", "job/b", "result", "removed"), client().execute("cancel", new Object[] {"job/b"}));
    XmlRpcException removed = faultOf(queued);
    assertEquals(-32007, removed.code);
    assertTrue(removed.getMessage().contains("before it ran"), removed.getMessage());

    assertEquals(Map.of("id", "job/a", "result", "interrupted"), client().execute("cancel", new Object[] {"job/a"}));
    XmlRpcException interrupted = faultOf(running);
    assertEquals(-32007, interrupted.code);

    assertEquals("False\n", client().execute("command", new Object[] {"print('ran_b' in globals())"}),
        "the removed command never ran");
    assertEquals(Map.of("id", "job/a", "result", "unknown"), client().execute("cancel", new Object[] {"job/a"}),
        "a command that ended is unknown to cancel");
  }

  @Test
  void anIdInUseIsRefusedAndBadIdsAreFaults() throws Exception {
    CompletableFuture<Object> running = inBackground("n = 0\nwhile True:\n    n += 1", "same");
    Poll.until(Duration.ofSeconds(20), "the command queued or running", () -> depth() >= 1);
    XmlRpcException dup = assertThrows(XmlRpcException.class,
        () -> client().execute("command", new Object[] {"print(1)", 5.0, "same"}));
    assertEquals(-32602, dup.code);
    XmlRpcException tooLong = assertThrows(XmlRpcException.class,
        () -> client().execute("command", new Object[] {"print(1)", 5.0, "x".repeat(201)}));
    assertEquals(-32602, tooLong.code);
    XmlRpcException noId = assertThrows(XmlRpcException.class, () -> client().execute("cancel", new Object[] {}));
    assertEquals(-32602, noId.code);
    client().execute("cancel", new Object[] {"same"});
    assertEquals(-32007, faultOf(running).code);
    assertEquals("1\n", client().execute("command", new Object[] {"print(1)"}), "the session still serves");
  }

  private static String pyString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
