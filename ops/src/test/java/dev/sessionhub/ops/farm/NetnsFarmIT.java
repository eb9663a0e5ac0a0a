package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.ops.Launcher;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The farm itself: real network stacks per host, a dead address whose connects time out, two hubs in two
 * namespaces forming one Hazelcast cluster that splits the hosts between them, and a teardown that leaves
 * nothing behind.
 */
@ExtendWith(FaultFarmExtension.class)
class NetnsFarmIT {

  @Test
  void deadAddressesTimeOutAndClosedPortsAreRefused(FaultFarm f) {
    NetnsFarm.Result check = f.farm.checkDead();
    assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
    // 4 live hosts, each checking 1 dead address (timeout) and 3 live ones (refused on a closed port).
    assertEquals(4, check.stdout().lines().filter(l -> l.contains(" timeout ") && l.endsWith("(want timeout) ok"))
        .count(), check.stdout());
    assertEquals(12, check.stdout().lines().filter(l -> l.contains(" refused ") && l.endsWith(" ok")).count(),
        check.stdout());
  }

  @Test
  void twoHubsInTwoNamespacesAreOneClusterThatSplitsTheHosts(FaultFarm f) {
    Set<String> all = new TreeSet<>();
    for (int slot = 1; slot <= FaultFarm.SLOTS; slot++) {
      all.add(f.farm.address(slot));
    }
    for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
      JsonObject cluster = f.cluster(hub);
      assertEquals(2, cluster.getInteger("size"), cluster.encodePrettily());
      JsonObject me = f.localStatus(hub);
      assertTrue(me.getString("member_address").contains(f.farm.address(hub)), me.encode());
      assertEquals(f.simSessions(FaultFarm.SIM_HOSTS), f.addresses(hub, "*"), "hub " + hub);
    }
    // Each hub publishes what it owned at the end of its last cycle: right after partitions move, one hub's
    // status can still list hosts the other has taken. Once both have cycled, every slot is counted once.
    Poll.until(Duration.ofSeconds(30), "every slot, the dead one included, scanned by exactly one hub", () -> {
      Set<String> owned = new TreeSet<>();
      long total = 0;
      for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
        JsonObject me = f.localStatus(hub);
        me.getJsonArray("hosts").forEach(h -> owned.add(String.valueOf(h)));
        total += me.getLong("hosts_owned");
      }
      return all.equals(owned) && total == FaultFarm.SLOTS;
    });
  }

  @Test
  void aDeadHostIsNoLongerScannedPortByPortOnceSilentAndTheLiveOnesStillAreInFull(FaultFarm f) {
    int ports = 10; // FaultFarm.PORTS
    // the dead slot gets one background probe a cycle (outside the scan's count) until it answers
    long expected = (long) (FaultFarm.SLOTS - 1) * ports;
    Poll.until(Duration.ofSeconds(30), "a cycle of both hubs probes " + expected + " ports and reports the dead host silent", () -> {
      long probed = 0;
      long silent = 0;
      for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
        probed += f.localStatus(hub).getLong("ports_probed");
        silent += f.localStatus(hub).getLong("hosts_silent");
      }
      return probed == expected && silent == 1;
    });
    for (int hub : new int[] {FaultFarm.HUB_A, FaultFarm.HUB_B}) {
      assertEquals(f.simSessions(FaultFarm.SIM_HOSTS), f.addresses(hub, "*"), "hub " + hub + " still lists all");
    }
  }

  @Test
  void doctorExplainsTheDeadAddressAsSilentFromInsideTheFarm(FaultFarm f) {
    String dead = f.address(FaultFarm.DEAD, 8000);
    NetnsFarm.Result[] last = new NetnsFarm.Result[1];
    Poll.until(Duration.ofSeconds(60), "a hub has probed " + dead, () -> {
      last[0] = f.farm.exec(FaultFarm.HUB_A, 90, null, Launcher.script().toString(), "doctor",
          dead, "--hub", f.hubUrl(FaultFarm.HUB_A), "--token-file", f.tokenFile().toString());
      return last[0].stdout().contains("last outcome: ");
    });
    NetnsFarm.Result r = last[0];
    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().startsWith("listed: no"), r.stdout());
    assertTrue(r.stdout().contains("cause: the host does not answer at all"), r.stdout());
    assertTrue(r.stdout().contains("Fix: check the host is up"), r.stdout());
  }

  @Test
  void downRemovesEveryNamespaceAndProcessItMade(FaultFarm f) throws Exception {
    List<String> linksBefore = rootLinks();
    NetnsFarm other = NetnsFarm.up(3, 3);
    String id = other.id();
    assertTrue(namespaces().stream().anyMatch(n -> n.startsWith(id + "-")), "the farm exists");
    assertNotEquals(f.farm.id(), id, "each farm has its own id, in all its names");
    Process sleeper = new ProcessBuilder("ip", "netns", "exec", other.namespace(1), "sleep", "600").start();
    other.close();
    assertTrue(sleeper.waitFor(15, java.util.concurrent.TimeUnit.SECONDS), "the farm's processes are stopped");
    assertFalse(namespaces().stream().anyMatch(n -> n.startsWith(id + "-")), "no namespace of the farm is left");
    assertFalse(Files.exists(Path.of("/run/sessionhub-netns", id)), "no state of the farm is left");
    assertEquals(linksBefore, rootLinks(), "the machine's own links are untouched");
    assertTrue(namespaces().stream().anyMatch(n -> n.startsWith(f.farm.id() + "-")), "the other farm is intact");
    other.close();  // idempotent
  }

  private static List<String> namespaces() {
    return NetnsFarm.run(List.of("ip", "netns", "list"), 30, null).stdout().lines()
        .map(l -> l.split(" ")[0]).toList();
  }

  private static List<String> rootLinks() {
    return NetnsFarm.run(List.of("ip", "-o", "link", "show"), 30, null).stdout().lines()
        .map(l -> l.split(":")[1].trim()).sorted().toList();
  }
}
