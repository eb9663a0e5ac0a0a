package dev.sessionhub.hub.impl.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.impl.cluster.HubIds;
import dev.sessionhub.hub.impl.cluster.PauseDetector;
import dev.sessionhub.hub.testing.MergingMembers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hub that merges back into the cluster after a split is still the coordinator of the jobs it started before
 * the merge. Hazelcast gives a merging member a new member UUID; the chaos soak saw a broadcast sent through a hub
 * 0.4 s after a partition healed end {@code unreachable} for a whole host ("the coordinating hub is no longer in
 * this hub's cluster"): the hub merged between dispatching its own batch and sending it, and its fence no longer
 * found the coordinator's id, its own former member UUID. Three real members: one alone, whose split-brain search
 * finds the other two once they are a cluster and merges into it.
 */
class FenceAcrossMergeTest {

  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<PauseDetector> detectors = new ArrayList<>();

  @AfterEach
  void stop() {
    detectors.forEach(PauseDetector::close);
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  @Test
  void aBatchCoordinatedBeforeAMergeIsStillSentAfterIt() {
    String cluster = "fence-merge-" + UUID.randomUUID();
    int a1 = FreePorts.one();
    int a2 = FreePorts.one();
    int b = FreePorts.one();
    HazelcastInstance merging = start(cluster, b, b, a2);
    String hubId = HubIds.local(merging);
    String memberUuidBefore = merging.getCluster().getLocalMember().getUuid().toString();
    // dispatched by the lone hub to itself, before the merge
    SendFence.BatchTicket ticket = new SendFence.BatchTicket(hubId, Instant.now(), Instant.now().plusSeconds(120));
    SendFence.BatchTicket byMemberUuid = new SendFence.BatchTicket(memberUuidBefore, Instant.now(),
        Instant.now().plusSeconds(120));
    HazelcastInstance first = start(cluster, a1, a1, a2);
    start(cluster, a2, a1, a2);

    Poll.until(Duration.ofSeconds(60), "the lone member merged into the larger cluster", () -> members.stream()
        .allMatch(m -> m.getCluster().getMembers().size() == 3));
    assertNotEquals(memberUuidBefore, merging.getCluster().getLocalMember().getUuid().toString(),
        "Hazelcast gave the merged member a new UUID (otherwise nothing was tested)");
    assertEquals(hubId, HubIds.local(merging), "the hub keeps its id across the merge");
    assertEquals(3, HubIds.members(first).size());
    assertNull(fence(merging).refusal(ticket), "the hub still sends the batch it coordinates");
    assertNull(fence(first).refusal(ticket), "a member it merged into sends its batches too");
    assertNotNull(fence(merging).refusal(byMemberUuid), "a member UUID does not name a hub across a merge");
  }

  private SendFence fence(HazelcastInstance member) {
    PauseDetector pauses = new PauseDetector(PauseDetector.DEFAULT_THRESHOLD, Clock.systemUTC());
    detectors.add(pauses);
    return new SendFence(member, pauses, Clock.systemUTC());
  }

  private HazelcastInstance start(String cluster, int port, int... listed) {
    HazelcastInstance member = Hazelcast.newHazelcastInstance(MergingMembers.config(cluster, port, listed));
    members.add(member);
    return member;
  }
}
