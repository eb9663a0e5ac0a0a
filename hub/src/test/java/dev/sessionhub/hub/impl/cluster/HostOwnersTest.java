package dev.sessionhub.hub.impl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.shared.scan.ScanTarget;
import dev.sessionhub.shared.scan.TargetParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Host ownership over real Hazelcast members: balanced, agreed by every member, and moved when one leaves. */
class HostOwnersTest {

  private final List<HazelcastInstance> members = new ArrayList<>();

  @AfterEach
  void stop() {
    members.forEach(HazelcastInstance::shutdown);
  }

  @Test
  void twentyHostsSplitTenAndTenThenAllMoveToTheSurvivor() throws Exception {
    String cluster = "owners-" + UUID.randomUUID();
    int first = FreePorts.one();
    int second = FreePorts.one();
    List<String> both = List.of("127.0.0.1:" + first, "127.0.0.1:" + second);
    for (int port : new int[] {first, second}) {
      HubOptions options = new HubOptions().setClusterName(cluster).setHazelcastPort(port);
      both.forEach(options::addMember);
      members.add(HazelcastSetup.start(options));
    }
    Poll.until(Duration.ofSeconds(30), "two members", () -> members.get(0).getCluster().getMembers().size() == 2
        && members.get(1).getCluster().getMembers().size() == 2);
    List<ScanTarget> targets = List.of(TargetParser.parse("10.9.0.1-20:8000-8099"));
    HostOwners a = new HostOwners(members.get(0), targets);
    HostOwners b = new HostOwners(members.get(1), targets);

    Map<Member, Integer> share = new HashMap<>();
    for (int i = 1; i <= 20; i++) {
      String host = HostOwners.hostKey("10.9.0." + i);
      assertTrue(a.isTargetHost(host));
      assertEquals(a.ownerOf(host), b.ownerOf(host), "both members agree on " + host);
      assertTrue(a.ownsLocally(host) ^ b.ownsLocally(host), "exactly one member owns " + host);
      share.merge(a.ownerOf(host), 1, Integer::sum);
    }
    assertEquals(List.of(10, 10), share.values().stream().sorted().toList());

    String outside = HostOwners.hostKey("render042");
    assertFalse(a.isTargetHost(outside));
    assertEquals(members.get(0).getPartitionService().getPartition(outside).getOwner(), a.ownerOf(outside),
        "a host outside the targets goes to its partition's owner");

    members.remove(1).shutdown();
    Poll.until(Duration.ofSeconds(30), "one member left", () -> members.get(0).getCluster().getMembers().size() == 1);
    for (int i = 1; i <= 20; i++) {
      assertTrue(a.ownsLocally(HostOwners.hostKey("10.9.0." + i)), "the survivor owns every host");
    }
  }
}
