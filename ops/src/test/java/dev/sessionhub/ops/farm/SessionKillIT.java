package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kill -9} of a session (a standalone {@code sessionhub session} found by scanning, so nobody tells the
 * hubs it went): a broadcast right after reports it {@code unreachable} while the others on its host answer, and
 * both hubs drop it within its lease; nothing else leaves.
 */
@ExtendWith(FaultFarmExtension.class)
class SessionKillIT {

  private static final int HOST = 3;

  @Test
  void aKilledSessionIsUnreachableThenLeavesWithinItsLease(FaultFarm f) throws Exception {
    Process session = f.startSession(HOST, 8005, "victim");
    Poll.until(Duration.ofSeconds(60), "the session listening", () -> Files.exists(f.dir.resolve("victim.port")));
    String victim = f.address(HOST, Integer.parseInt(Files.readString(f.dir.resolve("victim.port")).trim()));
    Set<String> all = new TreeSet<>(f.simSessions(FaultFarm.SIM_HOSTS));
    all.add(victim);
    for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
      Poll.until(Duration.ofSeconds(30), "hub " + hub + " lists the session",
          () -> f.addresses(hub, "*").equals(all));
    }
    String onHost = "host=" + f.farm.address(HOST);
    JsonObject warm = f.broadcast(FaultFarm.HUB_A, onHost, "print('alive')", 30);
    assertEquals(FaultFarm.AGENTS + 1, warm.getJsonObject("counts").getInteger("ok"), warm.encodePrettily());

    Instant killedAt = Instant.now();
    session.destroyForcibly();
    assertTrue(session.waitFor(30, TimeUnit.SECONDS));

    JsonObject job = f.broadcast(FaultFarm.HUB_B, onHost, "print('still there?')", 10);
    Map<String, String> states = FaultFarm.states(job);
    assertEquals("unreachable", states.get(victim), job.encodePrettily());
    assertEquals(FaultFarm.AGENTS, job.getJsonObject("counts").getInteger("ok"), job.encodePrettily());
    assertEquals(1, job.getJsonObject("counts").getInteger("unreachable"), job.encodePrettily());

    Set<String> rest = f.simSessions(FaultFarm.SIM_HOSTS);
    Poll.until(FaultFarm.LEASE.plusSeconds(10), "both hubs drop the killed session", () -> {
      for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
        Set<String> listed = f.addresses(hub, "*");
        if (!listed.containsAll(rest)) {
          throw new AssertionError("hub " + hub + " lost a live session: " + listed);
        }
        if (listed.contains(victim)) {
          return false;
        }
      }
      return true;
    });
    Duration gone = Duration.between(killedAt, Instant.now());
    FaultFarm.report("session kill: unreachable at once; gone from both hubs %d ms after the kill (lease %d s)",
        gone.toMillis(), FaultFarm.LEASE.toSeconds());
    // Its lease was last renewed at most one scan cycle before the kill, so it ends within one lease of it
    // (plus Hazelcast's 1 s expiry sweep and this poll's own round trips).
    assertTrue(gone.compareTo(FaultFarm.LEASE.plusSeconds(2)) <= 0, "gone after " + gone.toMillis() + " ms");
    assertEquals(rest, f.addresses(FaultFarm.HUB_A, "*"));
    assertEquals(rest, f.addresses(FaultFarm.HUB_B, "*"));
  }
}
