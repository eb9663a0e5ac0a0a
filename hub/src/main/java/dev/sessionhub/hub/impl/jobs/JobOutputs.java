package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import dev.sessionhub.shared.output.BoundedOutput;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live output of running commands, cluster-wide. The hub that follows a command on its agent publishes each piece
 * ({@link Chunk}) on one Hazelcast topic; every hub hears every piece, keeps what each running target printed so
 * far (bounded: {@link #SO_FAR_HEAD_CHARS} + {@link #SO_FAR_TAIL_CHARS} characters per target) and republishes it
 * on its local event bus at the job's own address ({@link JobEvents#outputAddress}), where the job's event streams listen.
 * Topic messages are JSON text: nothing received is deserialized as Java objects.
 */
public final class JobOutputs implements AutoCloseable {

  static final String TOPIC = "sessionhub.job-output";
  /** What a hub keeps of a running target's output for readers who arrive late: the start ... */
  public static final int SO_FAR_HEAD_CHARS = 4 * 1024;
  /** ... and the latest characters (a target's whole output, bounded as agents bound it, is in its result). */
  public static final int SO_FAR_TAIL_CHARS = 12 * 1024;
  /** A job's kept output is dropped this long after its last piece (its results hold the whole output). */
  static final Duration KEPT = Duration.ofMinutes(5);

  /** One piece of a target's output: its text, the agent's cursor after it, what was skipped before it. */
  public record Chunk(String jobId, String address, String text, long cursor, long skipped) {
    public JsonObject toJson() {
      return new JsonObject().put("job", jobId).put("address", address).put("text", text).put("cursor", cursor)
          .put("skipped", skipped);
    }

    public static Chunk fromJson(JsonObject json) {
      return new Chunk(json.getString("job"), json.getString("address"), json.getString("text", ""),
          json.getLong("cursor", 0L), json.getLong("skipped", 0L));
    }
  }

  /** What a target printed so far, as this hub heard it, with the cursor of the last piece. */
  public record SoFar(String text, long cursor) {
  }

  private record Kept(BoundedOutput output, long cursor) {
  }

  private final Vertx vertx;
  private final ITopic<String> topic;
  private final Clock clock;
  private final Map<String, Map<String, Kept>> byJob = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastPiece = new ConcurrentHashMap<>();
  private final UUID listener;
  private final long sweeper;

  public JobOutputs(Vertx vertx, HazelcastInstance hazelcast, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.topic = hazelcast.getTopic(TOPIC);
    this.listener = topic.addMessageListener(message -> heard(message.getMessageObject()));
    this.sweeper = vertx.setPeriodic(KEPT.toMillis() / 5, t -> sweep());
  }

  /** Sends a piece to every hub (this one included). */
  void publish(Chunk chunk) {
    topic.publishAsync(chunk.toJson().encode());
  }

  /** What each running target of {@code jobId} printed so far, by address, as heard here. */
  public Map<String, SoFar> soFar(String jobId) {
    Map<String, Kept> job = byJob.get(jobId);
    if (job == null) {
      return Map.of();
    }
    Map<String, SoFar> copy = new java.util.TreeMap<>();
    job.forEach((address, kept) -> copy.put(address, new SoFar(kept.output().text(), kept.cursor())));
    return copy;
  }

  private void heard(String text) {
    Chunk chunk;
    try {
      chunk = Chunk.fromJson(new JsonObject(text));
    } catch (RuntimeException malformed) {
      return;
    }
    if (chunk.jobId() == null || chunk.address() == null) {
      return;
    }
    lastPiece.put(chunk.jobId(), clock.instant());
    byJob.computeIfAbsent(chunk.jobId(), j -> new ConcurrentHashMap<>()).compute(chunk.address(), (a, kept) -> {
      BoundedOutput output = kept == null ? new BoundedOutput(SO_FAR_HEAD_CHARS, SO_FAR_TAIL_CHARS) : kept.output();
      if (chunk.skipped() > 0) {
        output.append("\n[output truncated: " + chunk.skipped() + " characters not kept]\n");
      }
      output.append(chunk.text());
      return new Kept(output, Math.max(chunk.cursor(), kept == null ? 0 : kept.cursor()));
    });
    try {
      vertx.eventBus().publish(JobEvents.outputAddress(chunk.jobId()), text);
    } catch (RuntimeException closing) {
      // never into Hazelcast's event threads
    }
  }

  private void sweep() {
    Instant cutoff = clock.instant().minus(KEPT);
    lastPiece.forEach((job, at) -> {
      if (at.isBefore(cutoff)) {
        lastPiece.remove(job, at);
        byJob.remove(job);
      }
    });
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweeper);
    try {
      topic.removeMessageListener(listener);
    } catch (RuntimeException gone) {
      // the member is already shutting down
    }
  }
}
