package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The one way a result reaches the store: one entry per target ({@code jobId|address}), first write wins
 * ({@link FirstResultWins}), whoever writes (the coordinator for its own targets, an owner for the targets it runs
 * for another hub, a deadline, a failed hub's marks, a cancel). Whatever arrives within {@link #LINGER_MS} (at
 * most {@link #MAX_BATCH}) goes out as one operation per job: a job's results share a partition ({@link
 * JobPartitioning}); a batch's last result goes at once, since its job reads done only once it is stored. Each
 * write answers the target's end as it stands (its own, or the earlier one), on the flushing Vert.x context.
 *
 * <p>A write the cluster refuses (a member leaving holds the partition) is tried again every {@link #RETRY_MS}
 * for about a minute: a result is never dropped, and trying again is harmless (the first write stands). Writes
 * start on threads of their own ({@link #WRITERS}), never on an event loop: Hazelcast's asynchronous calls are
 * asynchronous only once it knows the partition's owner; while members come and go it first waits for them,
 * sleeping on the calling thread (a chaos soak saw a hub's event loop held 7 s there while the cluster removed a
 * frozen member, and every API call of that hub with it).
 */
final class ResultWrites {

  static final int MAX_BATCH = 512;
  static final long LINGER_MS = 10;
  static final int STORE_ATTEMPTS = 120;
  static final long RETRY_MS = 500;
  /** The name of the threads that start result writes (shared per Vert.x instance, two threads). */
  static final String WRITERS = "sessionhub-result-writes";

  private record Pending(TargetResult result, Promise<TargetResult> standing) {
  }

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> results;
  private final WorkerExecutor writers;
  private final long ttlMillis;
  private Map<String, Map<String, Pending>> byJob = new LinkedHashMap<>();
  private int waiting;
  private boolean flushScheduled;

  ResultWrites(Vertx vertx, IMap<String, HazelcastJsonValue> results, long ttlMillis) {
    this.vertx = vertx;
    this.results = results;
    this.ttlMillis = ttlMillis;
    this.writers = vertx.createSharedWorkerExecutor(WRITERS, 2);
  }

  /** Releases the writer threads (writes already handed to them still complete). */
  void close() {
    writers.close();
  }

  /**
   * Stores {@code result} unless its target has an end. {@code now}: write it without waiting for others (the
   * last result of a batch, or a single mark).
   */
  Future<TargetResult> write(TargetResult result, boolean now) {
    Promise<TargetResult> standing = Promise.promise();
    boolean flushNow;
    boolean schedule = false;
    synchronized (this) {
      byJob.computeIfAbsent(result.jobId(), j -> new LinkedHashMap<>())
          .put(JobStore.resultKey(result.jobId(), result.address()), new Pending(result, standing));
      waiting++;
      flushNow = now || waiting >= MAX_BATCH;
      if (!flushNow && !flushScheduled) {
        flushScheduled = true;
        schedule = true;
      }
    }
    if (flushNow) {
      flush();
    } else if (schedule) {
      vertx.setTimer(LINGER_MS, id -> flush());
    }
    return standing.future();
  }

  private void flush() {
    Map<String, Map<String, Pending>> full;
    synchronized (this) {
      flushScheduled = false;
      if (waiting == 0) {
        return;
      }
      full = byJob;
      byJob = new LinkedHashMap<>();
      waiting = 0;
    }
    full.values().forEach(pending -> {
      Map<String, String> json = new LinkedHashMap<>();
      pending.forEach((key, p) -> json.put(key, p.result().toJson().encode()));
      store(pending, new FirstResultWins(json, ttlMillis), STORE_ATTEMPTS);
    });
  }

  private void store(Map<String, Pending> pending, FirstResultWins write, int attemptsLeft) {
    Context context = vertx.getOrCreateContext();
    writers.<CompletionStage<Map<String, String>>>executeBlocking(
            () -> results.submitToKeys(pending.keySet(), write), false)
        .compose(Future::fromCompletionStage)
        .onComplete(ar -> context.runOnContext(x -> {
          if (ar.failed() && attemptsLeft > 1) {
            vertx.setTimer(RETRY_MS, id -> store(pending, write, attemptsLeft - 1));
            return;
          }
          pending.forEach((key, p) -> {
            if (ar.failed()) {
              p.standing().tryFail(ar.cause());
              return;
            }
            String earlier = ar.result().get(key);
            p.standing().tryComplete(earlier == null ? p.result() : TargetResult.fromJson(new JsonObject(earlier)));
          });
        }));
  }
}
