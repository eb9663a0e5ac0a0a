package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two hubs' hosts cut off from each other (every packet between them lost, both still reaching every other
 * host), then healed: each half goes on alone without dropping anything it reaches, and after healing the hubs
 * are one cluster again with one view: the same sessions and records through either hub, every host scanned by
 * one hub, and the entries of sessions both halves reached never re-created.
 */
@ExtendWith(FaultFarmExtension.class)
class HubPartitionIT {

  private static final int A = FaultFarm.HUB_A;
  private static final int B = FaultFarm.HUB_B;

  @Test
  void eachHalfKeepsItsInventoryAndHealingGivesOneView(FaultFarm f) {
    Set<String> all = f.simSessions(FaultFarm.SIM_HOSTS);
    Map<Integer, Set<String>> reachable = Map.of(A, f.simSessions(A, 3, 4), B, f.simSessions(B, 3, 4));
    Map<String, String> firstSeen = field(f, A, "first_seen");
    Map<String, String> sessionIds = field(f, A, "session_id");
    assertEquals(all, firstSeen.keySet());
    assertEquals(firstSeen, field(f, B, "first_seen"), "one view before the partition");

    Instant splitAt = Instant.now();
    f.farm.partition(A, B);
    FaultFarm.report("partition: hosts %d and %d cut off from each other", A, B);
    Map<Integer, Instant> alone = new HashMap<>();
    try {
      // Each hub finds itself alone (Hazelcast's heartbeat timeout) and meanwhile never drops what it can reach.
      Poll.until(Duration.ofSeconds(40), "each hub alone in its own cluster", () -> {
        for (int hub : new int[] {A, B}) {
          assertKeeps(f, hub, reachable.get(hub));
          if (!alone.containsKey(hub) && f.clusterSize(hub) == 1) {
            alone.put(hub, Instant.now());
          }
        }
        return alone.size() == 2;
      });
      FaultFarm.report("partition: hub A alone after %d ms, hub B after %d ms",
          Duration.between(splitAt, alone.get(A)).toMillis(), Duration.between(splitAt, alone.get(B)).toMillis());
      // Each half scans every host on its own, still without losing what it reaches.
      for (int hub : new int[] {A, B}) {
        Instant since = alone.get(hub);
        Poll.until(Duration.ofSeconds(30), "hub " + hub + " scans every host alone", () -> {
          assertKeeps(f, hub, reachable.get(hub));
          JsonObject me = f.localStatus(hub);
          String at = me.getString("last_scan_at");
          return at != null && Instant.parse(at).isAfter(since) && me.getLong("hosts_owned") == FaultFarm.SLOTS;
        });
      }
      for (int hub : new int[] {A, B}) {
        assertKeeps(f, hub, reachable.get(hub));
        JsonObject job = f.broadcast(hub, "host=" + f.farm.address(3), "print(1)", 20);
        assertEquals(FaultFarm.AGENTS, job.getJsonObject("counts").getInteger("ok"), "hub " + hub + " runs commands "
            + "on a host it reaches: " + job.encodePrettily());
      }
    } finally {
      f.farm.heal(A, B);
      FaultFarm.report("partition: healed");
    }

    Instant healedAt = Instant.now();
    Poll.until(Duration.ofSeconds(90), "one cluster of two again, the same on both sides",
        () -> f.clusterSize(A) == 2 && f.clusterSize(B) == 2);
    Instant mergedAt = Instant.now();
    Poll.until(Duration.ofSeconds(30), "one view of every session through both hubs",
        () -> listsExactly(f, A, all) && listsExactly(f, B, all));
    FaultFarm.report("partition: merged %d ms after healing; one view %d ms after that",
        Duration.between(healedAt, mergedAt).toMillis(), Duration.between(mergedAt, Instant.now()).toMillis());

    // One view: the same record for every session through both hubs, the same processes as before.
    assertEquals(field(f, A, "first_seen"), field(f, B, "first_seen"), "both hubs show the same entries");
    assertEquals(sessionIds, field(f, A, "session_id"), "the same sessions as before the partition");
    assertEquals(sessionIds, field(f, B, "session_id"));
    // Sessions both halves reached all along were never wiped: their entries were never re-created. (Those on the
    // hubs' own hosts were out of the other half's reach: there they run out their lease if the partition lasts
    // about as long, and the merge may then keep the re-created entry, as LatestUpdateMergePolicy does.)
    Map<String, String> after = field(f, A, "first_seen");
    for (String address : f.simSessions(3, 4)) {
      assertEquals(firstSeen.get(address), after.get(address), address + " was re-created");
    }
    assertEquals(memberIds(f, A), memberIds(f, B), "both hubs list the same members");
    // Once partitions have settled, every host is scanned by exactly one hub (cycles that began while partitions
    // migrated may both have claimed a host).
    Poll.until(Duration.ofSeconds(30), "every host scanned by exactly one hub after the merge", () -> {
      Set<String> scanned = new TreeSet<>();
      long owned = 0;
      for (int hub : new int[] {A, B}) {
        JsonObject me = f.localStatus(hub);
        String at = me.getString("last_scan_at");
        if (at == null || !Instant.parse(at).isAfter(mergedAt.plus(FaultFarm.SCAN_INTERVAL))) {
          return false;
        }
        me.getJsonArray("hosts").forEach(h -> scanned.add(String.valueOf(h)));
        owned += me.getLong("hosts_owned");
      }
      return scanned.size() == FaultFarm.SLOTS && owned == FaultFarm.SLOTS;
    });
    JsonObject job = f.broadcast(A, "*", "print('one cluster')", 30);
    assertEquals(all.size(), job.getJsonObject("counts").getInteger("ok"), job.encodePrettily());
  }

  /** Whether the hub lists exactly {@code all}; false while it says "not ready" (it is merging: its data is cleared). */
  private static boolean listsExactly(FaultFarm f, int hub, Set<String> all) {
    JsonArray sessions = f.get(hub, "/api/sessions?selector=*").getJsonArray("sessions");
    return sessions != null && FaultFarm.addressesIn(sessions).equals(all);
  }

  private static void assertKeeps(FaultFarm f, int hub, Set<String> reachable) {
    Set<String> listed = f.addresses(hub, "*");
    if (!listed.containsAll(reachable)) {
      throw new AssertionError("hub " + hub + " dropped sessions it can reach: has " + listed + ", reaches "
          + reachable);
    }
  }

  /** One field of every session the hub lists, by address. */
  private static Map<String, String> field(FaultFarm f, int hub, String name) {
    Map<String, String> out = new HashMap<>();
    JsonArray sessions = f.sessions(hub, "*");
    for (int i = 0; i < sessions.size(); i++) {
      out.put(sessions.getJsonObject(i).getString("address"), String.valueOf(sessions.getJsonObject(i).getValue(name)));
    }
    return out;
  }

  private static Set<String> memberIds(FaultFarm f, int hub) {
    Set<String> out = new TreeSet<>();
    JsonArray members = f.cluster(hub).getJsonArray("members");
    for (int i = 0; i < members.size(); i++) {
      out.add(members.getJsonObject(i).getString("member"));
    }
    return out;
  }
}
