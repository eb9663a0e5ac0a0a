package dev.sessionhub.hub.impl.jobs;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import dev.sessionhub.hub.impl.cluster.HubIds;
import dev.sessionhub.hub.impl.cluster.PauseDetector;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The last check before a command leaves a hub, against a real Hazelcast member: a batch of a job still in its
 * time, dispatched by a member of this cluster, is sent; one whose time ran out, or whose coordinator is not a
 * member of this hub's cluster, is not. (A paused process is covered by the chaos soak, which SIGSTOPs hubs.)
 */
class SendFenceTest {

  private static HazelcastInstance member;
  private static PauseDetector pauses;
  private static SendFence fence;

  @BeforeAll
  static void start() {
    member = HazelcastSetup.start(new HubOptions().setClusterName("fence-" + UUID.randomUUID())
        .setHazelcastPort(FreePorts.one()));
    pauses = new PauseDetector(PauseDetector.DEFAULT_THRESHOLD, Clock.systemUTC());
    fence = new SendFence(member, pauses, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    pauses.close();
    member.shutdown();
  }

  private static String self() {
    return HubIds.local(member);
  }

  @Test
  void aCurrentBatchIsSent() {
    assertNull(fence.refusal(new SendFence.BatchTicket(self(), Instant.now(), Instant.now().plusSeconds(30))));
  }

  @Test
  void aBatchPastItsTimeIsNotSent() {
    String why = fence.refusal(new SendFence.BatchTicket(self(), Instant.now().minusSeconds(40),
        Instant.now().minusSeconds(10)));
    assertNotNull(why);
    assertTrue(why.startsWith("not sent: the job's time ran out") && why.endsWith("did not run"), why);
  }

  @Test
  void aBatchFromACoordinatorOutsideThisClusterIsNotSent() {
    String why = fence.refusal(new SendFence.BatchTicket(UUID.randomUUID().toString(), Instant.now(),
        Instant.now().plusSeconds(30)));
    assertNotNull(why);
    assertTrue(why.contains("coordinating hub is no longer in this hub's cluster"), why);
  }
}
