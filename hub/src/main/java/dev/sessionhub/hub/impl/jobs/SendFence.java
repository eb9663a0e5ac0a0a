package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.impl.cluster.HubIds;
import dev.sessionhub.hub.impl.cluster.PauseDetector;
import java.time.Clock;
import java.time.Instant;

/**
 * Decides, right before a command leaves for its agent, whether this hub may still send it. A batch is sent only
 * by a current member of the coordinator's cluster, for a job still inside its time, by a hub that has not been
 * paused since the batch was dispatched: a hub that wakes up after the cluster gave its work up (and may have
 * removed it, re-owned its sessions and recorded the targets as not run) drops what it held instead of running
 * commands whose job already answered.
 */
public final class SendFence {

  private final HazelcastInstance hazelcast;
  private final PauseDetector pauses;
  private final Clock clock;

  public SendFence(HazelcastInstance hazelcast, PauseDetector pauses, Clock clock) {
    this.hazelcast = hazelcast;
    this.pauses = pauses;
    this.clock = clock;
  }

  /**
   * Why a command of {@code batch} must not be sent now, or null if it may.
   */
  String refusal(BatchTicket batch) {
    if (pauses.pausedSince(batch.dispatchedAt())) {
      return "not sent: this hub was paused after the batch was dispatched to it (the cluster may have given "
          + "the work up meanwhile); the command did not run";
    }
    if (clock.instant().isAfter(batch.sendBy())) {
      return "not sent: the job's time ran out (" + batch.sendBy() + ") before the command could be sent; it did "
          + "not run";
    }
    if (!hazelcast.getLifecycleService().isRunning()) {
      return "not sent: this hub is shutting down; the command did not run";
    }
    if (batch.coordinatorId() != null && !HubIds.isMember(hazelcast, batch.coordinatorId())) {
      return "not sent: the coordinating hub is no longer in this hub's cluster; the command did not run";
    }
    return null;
  }

  /**
   * What the fence needs to know of a batch.
   *
   * @param coordinatorId the hub id ({@link HubIds}) of the hub coordinating the job
   * @param dispatchedAt  when the coordinator dispatched the batch (its wall clock)
   * @param sendBy        the last moment a command of the batch may leave: the job's start plus its timeout
   */
  public record BatchTicket(String coordinatorId, Instant dispatchedAt, Instant sendBy) {
  }
}
