package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kill -9} of a hub: the other hub keeps the whole inventory (no entry lost or re-created), takes over the
 * dead hub's hosts within one scan cycle of noticing, and still serves the jobs the dead hub ran.
 */
@ExtendWith(FaultFarmExtension.class)
class HubKillIT {

  @Test
  void theSurvivorKeepsTheInventoryTakesOverTheHostsAndServesTheDeadHubsJobs(FaultFarm f) throws Exception {
    // Kill the hub that scans more hosts, so there is a share to take over (the split depends on the subnet).
    int victim = f.localStatus(FaultFarm.HUB_A).getLong("hosts_owned")
        >= f.localStatus(FaultFarm.HUB_B).getLong("hosts_owned") ? FaultFarm.HUB_A : FaultFarm.HUB_B;
    int survivor = victim == FaultFarm.HUB_A ? FaultFarm.HUB_B : FaultFarm.HUB_A;
    Set<String> victimHosts = new TreeSet<>();
    f.localStatus(victim).getJsonArray("hosts").forEach(h -> victimHosts.add(String.valueOf(h)));
    assertFalse(victimHosts.isEmpty());
    String survivorId = f.localStatus(survivor).getString("member");

    Set<String> all = f.simSessions(FaultFarm.SIM_HOSTS);
    JsonObject job = f.broadcast(victim, "*", "print('before the kill')", 30);
    String jobId = job.getString("id");
    assertEquals(all.size(), job.getJsonObject("counts").getInteger("ok"), job.encodePrettily());

    Map<String, String> firstSeen = firstSeen(f, survivor);
    assertEquals(all, firstSeen.keySet());

    Instant killedAt = Instant.now();
    Process hub = f.hubs.get(victim);
    hub.destroyForcibly();  // SIGKILL: no shutdown hook, no goodbye to the cluster
    assertTrue(hub.waitFor(30, TimeUnit.SECONDS));

    // Until the survivor is alone, and then until it has scanned every host: the inventory never shrinks.
    int[] fewest = {all.size()};
    Poll.until(Duration.ofSeconds(30), "the survivor notices the kill", () -> {
      fewest[0] = Math.min(fewest[0], f.addresses(survivor, "*").size());
      return f.clusterSize(survivor) == 1;
    });
    Instant noticedAt = Instant.now();
    JsonObject[] takeover = {null};
    Poll.until(Duration.ofSeconds(30), "the survivor scans every host", () -> {
      fewest[0] = Math.min(fewest[0], f.addresses(survivor, "*").size());
      JsonObject me = f.localStatus(survivor);
      String at = me.getString("last_scan_at");
      if (at != null && Instant.parse(at).isAfter(noticedAt.minusSeconds(1))
          && me.getLong("hosts_owned") == FaultFarm.SLOTS) {
        takeover[0] = me;
        return true;
      }
      return false;
    });
    // The first cycle that owns every host began within one interval (plus the cycle under way) of noticing.
    Instant cycleBegan = Instant.parse(takeover[0].getString("last_scan_at"));
    Duration afterNotice = Duration.between(noticedAt, cycleBegan);
    FaultFarm.report("hub kill: noticed after %d ms; takeover cycle began %d ms later, took %d ms; victim had %s",
        Duration.between(killedAt, noticedAt).toMillis(), afterNotice.toMillis(), takeover[0].getLong("last_scan_ms"),
        victimHosts);
    assertTrue(afterNotice.compareTo(FaultFarm.SCAN_INTERVAL.plusSeconds(4)) <= 0,
        "the takeover cycle began " + afterNotice.toMillis() + " ms after the kill was noticed");
    Set<String> scanned = new TreeSet<>();
    takeover[0].getJsonArray("hosts").forEach(h -> scanned.add(String.valueOf(h)));
    assertTrue(scanned.containsAll(victimHosts), "the survivor scans " + scanned + ", the victim had " + victimHosts);

    // Every session, the victim's included, is now renewed by the survivor; none was lost or re-created.
    Poll.until(Duration.ofSeconds(20), "every session renewed by the survivor after the kill", () -> {
      JsonArray sessions = f.sessions(survivor, "*");
      for (int i = 0; i < sessions.size(); i++) {
        JsonObject s = sessions.getJsonObject(i);
        if (!survivorId.equals(s.getString("hub")) || !Instant.parse(s.getString("last_seen")).isAfter(killedAt)) {
          return false;
        }
      }
      return sessions.size() == all.size();
    });
    assertEquals(all.size(), fewest[0], "the inventory never lost a session during the failover");
    assertEquals(firstSeen, firstSeen(f, survivor), "entries survived the failover (first_seen unchanged)");

    // The job the dead hub ran reads the same through the survivor.
    JsonObject after = f.job(survivor, jobId);
    assertEquals("done", after.getString("state"), after.encodePrettily());
    assertEquals(all.size(), after.getJsonObject("counts").getInteger("ok"), after.encodePrettily());
    assertEquals(FaultFarm.states(job), FaultFarm.states(after));
    assertEquals("before the kill\n", after.getJsonArray("results").getJsonObject(0).getString("output"));

    // And the survivor runs commands everywhere, on the dead hub's own host too.
    JsonObject again = f.broadcast(survivor, "*", "print('after the kill')", 30);
    assertEquals(all.size(), again.getJsonObject("counts").getInteger("ok"), again.encodePrettily());
  }

  private static Map<String, String> firstSeen(FaultFarm f, int hub) {
    Map<String, String> out = new HashMap<>();
    JsonArray sessions = f.sessions(hub, "*");
    for (int i = 0; i < sessions.size(); i++) {
      out.put(sessions.getJsonObject(i).getString("address"), sessions.getJsonObject(i).getString("first_seen"));
    }
    return out;
  }
}
