package dev.sessionhub.hub.impl.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.impl.inventory.InventoryEvents;
import dev.sessionhub.hub.impl.inventory.SessionEvent;
import dev.sessionhub.hub.impl.inventory.SessionRecord;
import dev.sessionhub.hub.impl.inventory.Source;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.scan.HostPort;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What doctor is told about one address, in the orders discovery and the inventory's events really come in: above
 * all, a poll of a frozen announced session that was in flight when its lease ran out, and fails after the
 * expiry was heard (DoctorProgramIT's frozen session, which failed under load when the poll's failure hid why the
 * session left).
 */
class ScanOutcomesTest {

  private static final Instant AT = Instant.parse("2026-12-05T06:00:00Z");
  private static final HostPort ADDRESS = new HostPort("127.0.0.1", 8009);
  private static final HostPort BARRIER = new HostPort("127.0.0.1", 8999);

  private Vertx vertx;
  private ScanOutcomes outcomes;
  private MessageConsumer<JsonObject> following;
  private int heard;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    outcomes = new ScanOutcomes(Clock.fixed(AT, ZoneOffset.UTC));
    following = outcomes.followExpiries(vertx.eventBus());
  }

  @AfterEach
  void stop() {
    following.unregister();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static SessionRecord announced() {
    return announcedAt(ADDRESS, AT);
  }

  private static SessionRecord announcedAt(HostPort address, Instant lastSeen) {
    SessionInfo info = SessionInfo.fromStruct(Map.of("exe", "blender", "session_id", "s-" + address.port(), "pid",
        42, "port", address.port()));
    return new SessionRecord(address.toString(), address.host(), address.port(), "http://" + address + "/", info,
        Source.ANNOUNCE, "hub-a", lastSeen, lastSeen, Duration.ofSeconds(20));
  }

  /**
   * Publishes on the local bus as InventoryEvents does, then waits until the consumer has handled it: one
   * consumer handles its messages in order, so once a later expiry of another address shows, this one was heard.
   */
  private void hear(SessionEvent event) {
    vertx.eventBus().publish(InventoryEvents.ADDRESS, event.toJson());
    Instant marker = AT.plusSeconds(++heard);
    vertx.eventBus().publish(InventoryEvents.ADDRESS,
        new SessionEvent(SessionEvent.Type.DOWN, announcedAt(BARRIER, marker), "lease expired").toJson());
    Poll.until(Duration.ofSeconds(10), "the event is heard", () -> {
      ScanOutcomes.Outcome o = outcomes.of(BARRIER.toString());
      return o != null && o.detail().equals("last heartbeat at " + marker);
    });
  }

  @Test
  void aPollThatFailsAfterTheLeaseRanOutAddsToTheExpiryInsteadOfHidingIt() {
    outcomes.polled(ADDRESS);
    hear(new SessionEvent(SessionEvent.Type.DOWN, announced(), "lease expired"));
    outcomes.pollFailed(ADDRESS, "timeout", "no answer in 3000 ms");
    outcomes.pollFailed(ADDRESS, "timeout", "no answer in 3000 ms");

    ScanOutcomes.Outcome held = outcomes.of(ADDRESS.toString());
    assertEquals("lease", held.stage());
    assertEquals("heartbeats_stopped", held.result());
    assertEquals("last heartbeat at " + AT + "; its last poll: timeout (no answer in 3000 ms)", held.detail());
  }

  @Test
  void theExpiryIsForgottenWhenTheSessionIsUpAgainSoLaterPollsSpeakForThemselves() {
    hear(new SessionEvent(SessionEvent.Type.DOWN, announced(), "lease expired"));
    hear(new SessionEvent(SessionEvent.Type.UP, announced(), null));
    assertNull(outcomes.of(ADDRESS.toString()));

    outcomes.pollFailed(ADDRESS, "unreachable", "Connection refused");
    assertEquals("unreachable", outcomes.of(ADDRESS.toString()).result());
  }

  @Test
  void aScannedSessionKeepsItsLastPollWhenItsLeaseRunsOut() {
    SessionRecord scanned = announced().withSource(Source.SCAN);
    outcomes.pollFailed(ADDRESS, "timeout", "no answer in 3000 ms");
    hear(new SessionEvent(SessionEvent.Type.DOWN, scanned, "lease expired"));
    ScanOutcomes.Outcome held = outcomes.of(ADDRESS.toString());
    assertEquals("poll", held.stage());
    assertTrue(held.detail().contains("3000 ms"), held.detail());
  }
}
