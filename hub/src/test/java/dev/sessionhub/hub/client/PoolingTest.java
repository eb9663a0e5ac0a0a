package dev.sessionhub.hub.client;

import static dev.sessionhub.hub.client.Await.failure;
import static dev.sessionhub.hub.client.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.client.AgentCallException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bounded worker pool: refusal beyond the queue, deadlines that run while queued, and closing. */
class PoolingTest {

  private static Vertx vertx;
  private static RealAgent agent;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    agent = RealAgent.start(vertx, new AgentOptions());
  }

  @AfterAll
  static void stop() throws Exception {
    agent.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aCallBeyondTheQueueIsOverloadedAtOnce() throws Exception {
    try (HostileServer silent = HostileServer.start(HostileServer.silent());
        ApacheAgentClient client = new ApacheAgentClient(vertx,
            new AgentClientOptions().setPoolSize(1).setMaxQueued(1))) {
      Future<Object> busy = client.call(silent.url(), "server_data", List.of(), Duration.ofSeconds(2));
      Future<Object> queued = client.call(agent.url(), "server_data", List.of(), Duration.ofSeconds(10));
      AgentCallException refused = failure(client.call(agent.url(), "server_data", List.of(), Duration.ofSeconds(10)));
      assertEquals(Kind.OVERLOADED, refused.kind());
      assertEquals(Kind.TIMEOUT, failure(busy).kind());
      assertTrue(result(queued) instanceof Map, "the queued call runs once the worker is free");
    }
  }

  @Test
  void theDeadlineRunsWhileQueuedAndAnExpiredCallIsNeverSent() throws Exception {
    try (HostileServer silent = HostileServer.start(HostileServer.silent());
        ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      Future<Object> busy = client.call(silent.url(), "server_data", List.of(), Duration.ofMillis(1500));
      Poll.until(Duration.ofSeconds(5), "the first call occupies the only worker", () -> silent.connections() == 1);
      long start = System.nanoTime();
      AgentCallException queued = failure(client.call(silent.url(), "command", List.of("x"), Duration.ofMillis(300)));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(Kind.TIMEOUT, queued.kind());
      assertTrue(queued.getMessage().startsWith("not sent to " + silent.url()), queued.getMessage());
      assertTrue(queued.getMessage().contains("1 agent-call workers"), queued.getMessage());
      assertTrue(tookMs < 1200, "the caller's future fails at its deadline while the worker is stuck: " + tookMs);
      AgentCallException stuck = failure(busy);
      assertEquals(Kind.TIMEOUT, stuck.kind());
      assertTrue(stuck.getMessage().startsWith("no answer from " + silent.url()), stuck.getMessage());
      assertEquals("testapp-bin", result(client.serverData(agent.url())).get("exe"));
      assertEquals(1, silent.connections(), "the expired command was never sent");
    }
  }

  @Test
  void closingFailsWaitingCallsAndRefusesNewOnes() throws Exception {
    try (HostileServer silent = HostileServer.start(HostileServer.silent())) {
      ApacheAgentClient client = new ApacheAgentClient(vertx, new AgentClientOptions().setPoolSize(1));
      Future<Object> busy = client.call(silent.url(), "server_data", List.of(), Duration.ofSeconds(1));
      Future<Object> waiting = client.call(agent.url(), "server_data", List.of(), Duration.ofSeconds(10));
      client.close();
      assertEquals(Kind.OVERLOADED, failure(waiting).kind());
      assertEquals(Kind.OVERLOADED, failure(client.serverData(agent.url())).kind());
      assertEquals(Kind.TIMEOUT, failure(busy).kind());
    }
  }
}
