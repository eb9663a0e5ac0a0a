package dev.sessionhub.hub.impl.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every hub holds a copy of every inventory entry (up to seven hubs), so a hub cut off from all the others keeps
 * the whole inventory, and goes on renewing what it reaches, instead of only the entries whose partitions it
 * happened to hold (the chaos soak's cut-off hub listed 54 of 104 sessions). Three real members; two of them
 * stop at once without leaving (as a cut looks from the third).
 */
class InventoryReplicationTest {

  private static final int ENTRIES = 300;
  private final List<HazelcastInstance> members = new ArrayList<>();

  @AfterEach
  void stop() {
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  @Test
  void aHubLeftAloneKeepsEveryEntry() {
    String cluster = "replicas-" + UUID.randomUUID();
    List<Integer> ports = List.of(FreePorts.one(), FreePorts.one(), FreePorts.one());
    for (int port : ports) {
      HubOptions options = new HubOptions().setClusterName(cluster).setHazelcastPort(port);
      ports.forEach(p -> options.addMember("127.0.0.1:" + p));
      members.add(HazelcastSetup.start(options));
    }
    Poll.until(Duration.ofSeconds(60), "three members", () -> members.stream()
        .allMatch(m -> m.getCluster().getMembers().size() == 3));
    IMap<String, HazelcastJsonValue> map = members.get(0).getMap(Inventory.MAP_NAME);
    for (int i = 0; i < ENTRIES; i++) {
      map.set("10.0.0." + (i % 250) + ":" + (8000 + i), new HazelcastJsonValue("{\"n\":" + i + "}"), 10,
          TimeUnit.MINUTES);
    }
    HazelcastInstance survivor = members.get(2);
    Poll.until(Duration.ofSeconds(30), "the survivor holds a replica of every entry", () -> {
      LocalMapStats stats = survivor.getMap(Inventory.MAP_NAME).getLocalMapStats();
      return stats.getOwnedEntryCount() + stats.getBackupEntryCount() == ENTRIES;
    });

    members.get(0).getLifecycleService().terminate();
    members.get(1).getLifecycleService().terminate();
    Poll.until(Duration.ofSeconds(60), "the survivor is alone and its partitions are safe", () ->
        survivor.getCluster().getMembers().size() == 1 && survivor.getPartitionService().isClusterSafe());

    assertEquals(ENTRIES, survivor.getMap(Inventory.MAP_NAME).size());
  }
}
