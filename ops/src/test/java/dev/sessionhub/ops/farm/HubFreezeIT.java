package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hub frozen (SIGSTOP) for longer than the cluster's failure detection, then resumed: the cluster removed it
 * meanwhile, and what its member holds is older than what the cluster has. From the moment it resumes until it is
 * back in the cluster it answers "not ready" (HTTP 503) for sessions and for jobs it does not coordinate, never
 * from that stale copy; once back it answers what the other hub answers.
 */
@ExtendWith(FaultFarmExtension.class)
class HubFreezeIT {

  private static final int A = FaultFarm.HUB_A;
  private static final int B = FaultFarm.HUB_B;

  @Test
  void aResumedHubSaysNotReadyUntilItIsBackThenAnswersAsTheOther(FaultFarm f) {
    Set<String> all = f.simSessions(FaultFarm.SIM_HOSTS);
    Process frozen = f.hubs.get(B);
    Instant frozenAt = Instant.now();
    NetnsFarm.signal(frozen, "STOP");
    String jobId;
    try {
      Poll.until(Duration.ofSeconds(40), "hub A alone (hub B removed)", () -> f.clusterSize(A) == 1);
      // a job run while hub B is frozen: its member cannot hold it
      JsonObject job = f.broadcast(A, "*", "print('while hub B was frozen')", 30);
      jobId = job.getString("id");
      assertEquals(all.size(), job.getJsonObject("counts").getInteger("ok"), job.encodePrettily());
    } finally {
      NetnsFarm.signal(frozen, "CONT");
    }
    Instant resumedAt = Instant.now();
    FaultFarm.report("freeze: hub B stopped for %d ms", Duration.between(frozenAt, resumedAt).toMillis());

    // at once after resuming, before it can know where it stands: not ready, for sessions and for the job
    assertNotReady(f.get(B, "/api/sessions?selector=*"));
    assertNotReady(f.job(B, jobId));

    // then, once back: exactly what hub A answers, never a stale copy in between
    JsonObject expected = f.job(A, jobId);
    String id = jobId;
    Poll.until(Duration.ofSeconds(60), "hub B back in the cluster, answering as hub A", () -> {
      JsonObject sessions = f.get(B, "/api/sessions?selector=*");
      JsonObject job = f.job(B, id);
      if (notReady(sessions) || notReady(job)) {
        return false;
      }
      assertEquals(all, FaultFarm.addressesIn(sessions.getJsonArray("sessions")), "hub B's first listing after it resumed");
      assertEquals(FaultFarm.states(expected), FaultFarm.states(job), "hub B's first read of the job");
      return true;
    });
    FaultFarm.report("freeze: hub B answered again %d ms after it resumed",
        Duration.between(resumedAt, Instant.now()).toMillis());
  }

  private static boolean notReady(JsonObject answer) {
    return "unavailable".equals(answer.getString("error"))
        && String.valueOf(answer.getString("message")).contains("not ready");
  }

  private static void assertNotReady(JsonObject answer) {
    if (!notReady(answer)) {
      throw new AssertionError("a hub just resumed from a freeze answered: " + answer.encode());
    }
  }
}
