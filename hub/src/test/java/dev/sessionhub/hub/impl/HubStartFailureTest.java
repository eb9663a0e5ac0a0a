package dev.sessionhub.hub.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.Hub;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub that fails to start, early (an audit log that cannot be opened) or late (its HTTP port is taken), leaves
 * nothing behind on its member: no prober thread, no hub attached for other members' batches, no listeners; and a
 * hub started next on the same member works.
 */
class HubStartFailureTest {

  private static final String LOCAL_HUB_KEY = "sessionhub.local-hub";

  @TempDir
  Path dir;

  private HazelcastInstance member;
  private Vertx vertx;

  @BeforeEach
  void start() {
    member = HazelcastSetup.start(new HubOptions().setClusterName("start-failure-" + UUID.randomUUID())
        .setHazelcastPort(FreePorts.one()));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    member.shutdown();
  }

  @Test
  void anAuditLogThatCannotBeOpenedLeavesNothingBehind() throws Exception {
    // a directory where the log file should be: opening it fails after most of the hub was created
    assertNothingLeftAfterFailing(o -> o.setAuditLog(dir.toString()), "audit");
  }

  @Test
  void aTakenHttpPortLeavesNothingBehind() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertNothingLeftAfterFailing(o -> o.setHttpPort(taken.getLocalPort()), "address already in use");
    }
  }

  private void assertNothingLeftAfterFailing(UnaryOperator<HubOptions> broken, String reason) throws Exception {
    int probersBefore = probers();
    int listenersBefore = clusterListeners();
    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> HubImpl.start(vertx, member, broken.apply(options()), Clock.systemUTC()).toCompletionStage()
            .toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertTrue(String.valueOf(failed.getCause().getMessage()).toLowerCase().contains(reason),
        "the failure says why: " + failed.getCause());
    Poll.until(Duration.ofSeconds(10), "the failed hub's prober thread ended", () -> probers() == probersBefore);
    assertFalse(member.getUserContext().containsKey(LOCAL_HUB_KEY),
        "no hub stays attached for other members' batches");
    assertEquals(listenersBefore, clusterListeners(), "no inventory or job listener stays registered");

    Hub hub = HubImpl.start(vertx, member, options(), Clock.systemUTC()).await(30, TimeUnit.SECONDS);
    try {
      assertTrue(member.getUserContext().containsKey(LOCAL_HUB_KEY), "the next hub attaches");
      java.net.http.HttpResponse<String> live = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.url() + "/health/live")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, live.statusCode(), "the next hub serves");
    } finally {
      hub.close().await(30, TimeUnit.SECONDS);
    }
    assertFalse(member.getUserContext().containsKey(LOCAL_HUB_KEY), "a closed hub detaches");
    Poll.until(Duration.ofSeconds(10), "the closed hub's prober thread ended", () -> probers() == probersBefore);
  }

  private HubOptions options() {
    return new HubOptions().setClusterName(member.getConfig().getClusterName()).setHttpPort(0);
  }

  private static int probers() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("sessionhub-port-prober")).count();
  }

  /** Entry listeners on the inventory and job maps, read from the member's event service registrations. */
  private int clusterListeners() {
    com.hazelcast.spi.impl.NodeEngineImpl engine = com.hazelcast.instance.impl.HazelcastInstanceProxy.class
        .isInstance(member) ? ((com.hazelcast.instance.impl.HazelcastInstanceProxy) member).getOriginal()
        .node.getNodeEngine() : null;
    if (engine == null) {
      return 0;
    }
    return engine.getEventService().getRegistrations("hz:impl:mapService", dev.sessionhub.hub.impl.inventory.Inventory
        .MAP_NAME).size() + engine.getEventService().getRegistrations("hz:impl:mapService",
        dev.sessionhub.hub.impl.jobs.JobStore.RESULTS).size();
  }
}
