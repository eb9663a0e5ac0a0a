package dev.sessionhub.hub.client;

import static dev.sessionhub.hub.client.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.client.AgentCallException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent-client contract run against {@link VertxAgentClient}, plus what only it offers: its metrics. */
class VertxAgentClientTest extends AgentClientContract {

  private static Vertx vertx;

  @Override
  protected AgentClient newClient(Vertx vertx, AgentClientOptions options) {
    return new VertxAgentClient(vertx, options);
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void callsInFlightAndQueuedFeedTheMetrics() throws Exception {
    try (HostileServer silent = HostileServer.start(HostileServer.silent());
        VertxAgentClient client = new VertxAgentClient(vertx, new AgentClientOptions().setPoolSize(1))) {
      Future<Object> busy = client.call(silent.url(), "server_data", List.of(), Duration.ofMillis(1500));
      Future<Object> waiting = client.call(silent.url(), "server_data", List.of(), Duration.ofMillis(1000));
      Poll.until(Duration.ofSeconds(5), "one call in flight, one waiting",
          () -> client.callsInFlight() == 1 && client.queuedCalls() == 1);
      assertEquals(Kind.TIMEOUT, failure(waiting).kind());
      assertEquals(0, client.queuedCalls(), "a call that gave up leaves the queue");
      assertEquals(Kind.TIMEOUT, failure(busy).kind());
      Poll.until(Duration.ofSeconds(5), "the slot is free again", () -> client.callsInFlight() == 0);
    }
  }
}
