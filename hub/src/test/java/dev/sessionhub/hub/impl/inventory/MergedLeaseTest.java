package dev.sessionhub.hub.impl.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.MergingMembers;
import dev.sessionhub.shared.model.SessionInfo;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After a split heals, an entry renewed by the larger side keeps its own lease even though the smaller side still
 * held an older copy with an earlier expiry. Hazelcast 5.6 keeps the newer value (LatestUpdateMergePolicy) but
 * gives it the losing copy's expiry, so without the hub's repair the renewed entry expired seconds after the
 * merge and every hub dropped a live session (HubPartitionIT: the sessions of the host only the larger side
 * reached). Three real members: one alone, whose split-brain search finds the other two once they are a cluster
 * and merges into it; each member runs a hub's inventory and its event listener.
 */
class MergedLeaseTest {

  private static final String ADDRESS = "10.0.0.1:8000";
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  /** Every session event the hubs published: a live session never goes down here. */
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() {
    vertx.eventBus().<JsonObject>consumer(InventoryEvents.ADDRESS, m -> events.add(m.body()));
  }

  @AfterEach
  void stop() throws Exception {
    members.forEach(m -> m.getLifecycleService().terminate());
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theEntryKeptByAMergeKeepsItsOwnLease() {
    String cluster = "merged-lease-" + UUID.randomUUID();
    int a1 = FreePorts.one();
    int a2 = FreePorts.one();
    int b = FreePorts.one();
    // the smaller side: alone, its split-brain search looking at a2, which is not up yet; its copy's lease (the
    // entry's time to live) runs out 25 s after it is written
    Inventory smaller = start(cluster, b, b, a2);
    SessionRecord stale = seen(Instant.now(), Duration.ofSeconds(25));
    await(smaller.put(stale));
    Instant staleExpiry = Instant.now().plus(stale.lease());
    // the larger side renews the entry later, with a longer lease, then grows to two members: the smaller side's
    // search finds a2 in a larger cluster and merges into it
    SessionRecord fresh = seen(Instant.now(), Duration.ofSeconds(90));
    Inventory first = start(cluster, a1, a1, a2);
    await(first.put(fresh));
    List<Inventory> larger = List.of(first, start(cluster, a2, a1, a2));

    Poll.until(Duration.ofSeconds(60), "the smaller side merged into the larger", () -> members.stream()
        .allMatch(m -> m.getCluster().getMembers().size() == 3));
    if (!Instant.now().isBefore(staleExpiry.minusSeconds(2))) {
      throw new AssertionError("the merge came after the stale copy's expiry: nothing was tested");
    }
    assertEquals(fresh.lastSeen(), await(smaller.get(ADDRESS)).lastSeen(), "the merge kept the newer entry");
    // past the stale copy's expiry (and the map's 1 s expiry sweep), the renewed entry is there and listed
    Poll.until(Duration.ofSeconds(40), "the stale copy's expiry passed with the entry kept", () -> {
      for (Inventory inventory : List.of(larger.get(0), larger.get(1), smaller)) {
        SessionRecord held = await(inventory.get(ADDRESS));
        assertNotNull(held, "the map lost the renewed entry");
        assertEquals(fresh.lastSeen(), held.lastSeen());
      }
      for (Inventory inventory : larger) {
        assertNotNull(inventory.view().get(ADDRESS), "a hub's view dropped the renewed entry");
      }
      return Instant.now().isAfter(staleExpiry.plusSeconds(4));
    });
    assertNoneDown();
  }

  /**
   * The same early expiry however it comes about (here an entry written with a shorter time to live than its
   * record's lease): the member that expired it puts it back, and no hub reports the session down.
   */
  @Test
  void anEntryThatExpiresBeforeItsLeaseIsPutBack() {
    int port = FreePorts.one();
    Inventory inventory = start("early-expiry-" + UUID.randomUUID(), port, port);
    SessionRecord record = seen(Instant.now(), Duration.ofSeconds(60));
    await(inventory.put(record));
    inventory.map().set(ADDRESS, inventory.map().get(ADDRESS), 1, TimeUnit.SECONDS);
    Poll.until(Duration.ofSeconds(20), "the entry expired and was put back with the lease it has left", () -> {
      var entry = inventory.map().getEntryView(ADDRESS);
      return entry != null && entry.getTtl() > 30_000;
    });
    assertEquals(record.lastSeen(), await(inventory.get(ADDRESS)).lastSeen());
    assertNotNull(inventory.view().get(ADDRESS));
    assertNoneDown();
    assertEquals(1, events.stream().filter(e -> "up".equals(e.getString("type"))).count(),
        "the put-back is no new session: " + events);
  }

  private void assertNoneDown() {
    List<JsonObject> down = events.stream().filter(e -> "down".equals(e.getString("type"))).toList();
    assertTrue(down.isEmpty(), "sessions reported down: " + down);
  }

  /** A member listing {@code listed} as its peers, running a hub's inventory and event listener. */
  private Inventory start(String cluster, int port, int... listed) {
    HazelcastInstance member = Hazelcast.newHazelcastInstance(MergingMembers.config(cluster, port, listed));
    members.add(member);
    Inventory inventory = new Inventory(vertx, member);
    new InventoryEvents(vertx, inventory).start();
    return inventory;
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("a map call failed", e);
    }
  }

  private static SessionRecord seen(Instant at, Duration lease) {
    SessionInfo info = SessionInfo.fromStruct(Map.of("exe", "blender", "session_id", "s1", "pid", 1, "port", 8000));
    return new SessionRecord(ADDRESS, "10.0.0.1", 8000, "http://10.0.0.1:8000/", info, Source.SCAN, "hub-a", at, at,
        lease);
  }
}
