package dev.sessionhub.hub.impl.jobs;

import dev.sessionhub.hub.impl.client.AgentOutputClient;
import io.vertx.core.Vertx;

/**
 * Makes the {@link OutputFollower} of each command a runner sends to an agent that answers {@code output}, and
 * starts following those still running {@link OutputFollower#FOLLOW_AFTER} after they were sent: one periodic
 * check for all of them (a timer per command cost a broadcast to 1,000 sessions a fifth of its time).
 */
public final class OutputFollowers implements AutoCloseable {

  /** How often sent commands are checked for having run long enough to be followed. */
  static final java.time.Duration CHECK_EVERY = java.time.Duration.ofMillis(50);

  private final Vertx vertx;
  private final AgentOutputClient client;
  private final JobOutputs outputs;
  private final java.util.Set<OutputFollower> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final long checker;

  public OutputFollowers(Vertx vertx, AgentOutputClient client, JobOutputs outputs) {
    this.vertx = vertx;
    this.client = client;
    this.outputs = outputs;
    this.checker = vertx.setPeriodic(CHECK_EVERY.toMillis(), t -> startDue());
  }

  OutputFollower follower(String jobId, String address, String url) {
    return new OutputFollower(vertx, client, outputs, jobId, address, url, waiting);
  }

  private void startDue() {
    if (waiting.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    waiting.removeIf(f -> f.startIfDue(now));
  }

  @Override
  public void close() {
    vertx.cancelTimer(checker);
    waiting.clear();
  }
}
