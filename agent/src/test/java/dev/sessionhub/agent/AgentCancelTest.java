package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.TestHost;
import io.vertx.core.Vertx;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's cancel extension over a real loopback port with the Apache XML-RPC client: {@code command(code,
 * timeout, id)} names a command, {@code cancel(id)} removes it while queued (it never runs) or interrupts it while
 * running; both answer the command's caller fault -32007, and the session goes on serving. Each test has its own
 * agent.
 */
class AgentCancelTest {

  private Vertx vertx;
  private TestHost host;
  private Agent agent;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    host = new TestHost("cancel");
    agent = Agent.start(vertx, new AgentOptions().setPort(FreePorts.one()), host).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    agent.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
    host.close();
  }

  private XmlRpcClient client() throws Exception {
    XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
    config.setServerURL(new URL(agent.url()));
    config.setReplyTimeout(60_000);
    XmlRpcClient client = new XmlRpcClient();
    client.setConfig(config);
    return client;
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
      java.net.http.HttpResponse<String> status = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(agent.url() + "status")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return new io.vertx.core.json.JsonObject(status.body()).getInteger("queue_depth");
    } catch (java.io.IOException | InterruptedException e) {
      throw new java.io.UncheckedIOException(new java.io.IOException(e));
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
