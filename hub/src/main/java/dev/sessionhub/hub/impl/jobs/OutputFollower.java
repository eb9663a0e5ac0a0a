package dev.sessionhub.hub.impl.jobs;

import dev.sessionhub.hub.impl.client.AgentOutputClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Follows one command's output on its agent while it runs ({@code output(jobId, cursor, wait)} long polls) and
 * publishes each piece through {@link JobOutputs}. It starts {@link #FOLLOW_AFTER} after the command was sent, if
 * the command has not answered by then: most commands of a broadcast take milliseconds, and following them would
 * double the calls for output that arrives whole with the result a moment later. An agent that does not know the
 * command yet (the call is still on its way) is asked again shortly. It ends when the agent says the command
 * ended and nothing more is waiting, when the agent cannot answer {@code output} (an older agent: its output comes
 * whole with the result), or {@link #AFTER_REPLY} after the command's own reply, whatever the agent says.
 */
final class OutputFollower {

  /** How long a command runs before its output is followed (what it printed before comes in the first piece). */
  static final Duration FOLLOW_AFTER = Duration.ofMillis(200);
  /** How long one {@code output} call may wait on the agent for something new. */
  static final Duration LONG_POLL = Duration.ofSeconds(2);
  /** How long following may go on once the command has answered. */
  static final Duration AFTER_REPLY = Duration.ofSeconds(1);
  /** How long one call waits once the command has answered (its output has normally ended by then). */
  static final Duration AFTER_REPLY_POLL = Duration.ofMillis(200);
  /** How soon to ask again when the agent does not know the command yet. */
  static final Duration NOT_YET = Duration.ofMillis(25);

  private final Vertx vertx;
  private final AgentOutputClient client;
  private final JobOutputs outputs;
  private final String jobId;
  private final String address;
  private final String url;
  private final Promise<Void> finished = Promise.promise();
  /** Not started yet, following, or not to be followed (it answered first). */
  private enum Phase { WAITING, FOLLOWING, SKIPPED }

  private final java.util.concurrent.atomic.AtomicReference<Phase> phase =
      new java.util.concurrent.atomic.AtomicReference<>(Phase.WAITING);
  private final java.util.Set<OutputFollower> waiting;
  private volatile long repliedAt = -1;
  private volatile long sentAt;
  private long cursor;

  /** @param waiting where sent commands wait to be followed ({@link OutputFollowers} checks them) */
  OutputFollower(Vertx vertx, AgentOutputClient client, JobOutputs outputs, String jobId, String address,
      String url, java.util.Set<OutputFollower> waiting) {
    this.waiting = waiting;
    this.vertx = vertx;
    this.client = client;
    this.outputs = outputs;
    this.jobId = jobId;
    this.address = address;
    this.url = url;
  }

  /** The command was sent: following starts {@link #FOLLOW_AFTER} from now unless it has answered by then. */
  void sent() {
    sentAt = System.nanoTime();
    waiting.add(this);
  }

  /** Starts following if the command was sent {@link #FOLLOW_AFTER} ago; true if it no longer waits. */
  boolean startIfDue(long nowNanos) {
    if (phase.get() != Phase.WAITING) {
      return true;
    }
    if (nowNanos - sentAt < FOLLOW_AFTER.toNanos()) {
      return false;
    }
    if (phase.compareAndSet(Phase.WAITING, Phase.FOLLOWING)) {
      next();
    }
    return true;
  }

  /**
   * The command answered: following ends once the agent has given everything, and at the latest {@link
   * #AFTER_REPLY} later, even if the agent is silent; at once if it never began.
   */
  Future<Void> replied() {
    repliedAt = System.nanoTime();
    if (phase.compareAndSet(Phase.WAITING, Phase.SKIPPED)) {
      waiting.remove(this);
      finished.tryComplete();
    } else {
      vertx.setTimer(AFTER_REPLY.toMillis(), t -> finished.tryComplete());
    }
    return finished.future();
  }

  private void next() {
    if (finished.future().isComplete()) {
      return;
    }
    Duration wait = repliedAt >= 0 ? AFTER_REPLY_POLL : LONG_POLL;
    client.output(url, jobId, cursor, wait).onComplete(ar -> {
      if (ar.failed()) {
        finished.tryComplete();
        return;
      }
      AgentOutputClient.Slice slice = ar.result();
      if (!slice.text().isEmpty() || slice.skipped() > 0) {
        outputs.publish(new JobOutputs.Chunk(jobId, address, slice.text(), slice.cursor(), slice.skipped()));
      }
      cursor = slice.cursor();
      boolean notThereYet = "unknown".equals(slice.state()) && repliedAt < 0;
      if (slice.finished() && !notThereYet) {
        finished.tryComplete();
      } else if (notThereYet) {
        vertx.setTimer(NOT_YET.toMillis(), t -> next());
      } else {
        next();
      }
    });
  }
}
