package dev.sessionhub.hub.impl.metrics;

import com.hazelcast.core.HazelcastInstance;

/**
 * What {@code GET /health/live} and {@code /health/ready} answer. Live: the process serves HTTP. Ready: this hub's
 * Hazelcast member is running and has joined its cluster, and discovery finished a first cycle (so the inventory
 * it answers from is filled). Neither needs the token: they say ok, or not ready and why.
 */
public final class HubHealth {

  private final HazelcastInstance hazelcast;
  private final HubMetrics metrics;

  public HubHealth(HazelcastInstance hazelcast, HubMetrics metrics) {
    this.hazelcast = hazelcast;
    this.metrics = metrics;
  }

  /** Null when ready, else why not. */
  public String notReadyReason() {
    try {
      if (!hazelcast.getLifecycleService().isRunning() || hazelcast.getCluster().getLocalMember() == null) {
        return "not a running member of its cluster";
      }
    } catch (RuntimeException e) {
      return "not a running member of its cluster";
    }
    if (metrics.cyclesEnded() == 0) {
      return "first discovery cycle not finished";
    }
    return null;
  }
}
