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
 * Writes the results of the targets this hub runs for a job another hub coordinates: per target, the first
 * write wins (the coordinator may have ended the target already, at its deadline or on a cancel), so each is
 * stored with {@link FirstResultWins}. Whatever arrives within {@link ResultBatches#LINGER_MS} goes out as one
 * operation per job (its results share a partition: {@link JobPartitioning}); a batch's last result goes at once.
 * Each write answers the target's end as it stands. Writes start on the result writers' threads, never on an event
 * loop (see {@link ResultBatches} for why).
 */
final class OwnedResultWrites {

  private record Pending(TargetResult result, Promise<TargetResult> standing) {
  }

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> results;
  private final WorkerExecutor writers;
  private final long ttlMillis;
  private Map<String, Map<String, Pending>> byJob = new LinkedHashMap<>();
  private int waiting;
  private boolean flushScheduled;

  OwnedResultWrites(Vertx vertx, IMap<String, HazelcastJsonValue> results, long ttlMillis) {
    this.vertx = vertx;
    this.results = results;
    this.ttlMillis = ttlMillis;
    this.writers = vertx.createSharedWorkerExecutor(ResultBatches.WRITERS, 2);
  }

  void close() {
    writers.close();
  }

  /** Stores {@code result} unless its target has an end; {@code last}: no more results of its batch follow. */
  Future<TargetResult> write(TargetResult result, boolean last) {
    Promise<TargetResult> standing = Promise.promise();
    boolean flushNow;
    boolean schedule = false;
    synchronized (this) {
      byJob.computeIfAbsent(result.jobId(), j -> new LinkedHashMap<>())
          .put(JobStore.resultKey(result.jobId(), result.address()), new Pending(result, standing));
      waiting++;
      flushNow = last || waiting >= ResultBatches.MAX_BATCH;
      if (!flushNow && !flushScheduled) {
        flushScheduled = true;
        schedule = true;
      }
    }
    if (flushNow) {
      flush();
    } else if (schedule) {
      vertx.setTimer(ResultBatches.LINGER_MS, id -> flush());
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
    Context context = vertx.getOrCreateContext();
    full.values().forEach(pending -> {
      Map<String, String> json = new LinkedHashMap<>();
      pending.forEach((key, p) -> json.put(key, p.result().toJson().encode()));
      writers.<CompletionStage<Map<String, String>>>executeBlocking(
              () -> results.submitToKeys(pending.keySet(), new FirstResultWins(json, ttlMillis)), false)
          .compose(Future::fromCompletionStage)
          .onComplete(ar -> context.runOnContext(x -> pending.forEach((key, p) -> {
            if (ar.failed()) {
              p.standing().tryFail(ar.cause());
              return;
            }
            String earlier = ar.result().get(key);
            p.standing().tryComplete(earlier == null ? p.result() : TargetResult.fromJson(new JsonObject(earlier)));
          })));
    });
  }
}
