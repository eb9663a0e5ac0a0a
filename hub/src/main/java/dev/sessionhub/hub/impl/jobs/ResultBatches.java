package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Writes the results a coordinating hub decided in memory in batches: whatever arrived within {@link #LINGER_MS}
 * (at most {@link #MAX_BATCH}) is stored as one entry per job, {@link JobStore#batchKey} numbered from 0, holding
 * a JSON array of results; instead of one map entry, one expiry record and one listener event per target. Only
 * results that have no other writer come here (the coordinator's own targets, whose first result {@link
 * RunningJob} already decided), so no target is in two entries. Each write's future completes on the flushing
 * Vert.x context once its batch is stored.
 *
 * <p>The write is started on a worker of its own ({@link #WRITERS}), never on the event loop: Hazelcast's
 * {@code setAllAsync} is asynchronous only once it knows every partition's owner; while members come and go it
 * first waits for them, sleeping on the calling thread (a chaos soak saw a hub's event loop held 7 s there while
 * the cluster removed a frozen member, and every API call of that hub with it).
 */
final class ResultBatches {

  static final int MAX_BATCH = 512;
  static final long LINGER_MS = 10;
  /** A refused write is tried again every {@link #RETRY_MS} for about a minute. */
  static final int STORE_ATTEMPTS = 120;
  static final long RETRY_MS = 500;

  /** The name of the threads that start batch writes (shared per Vert.x instance, two threads). */
  static final String WRITERS = "sessionhub-result-writes";

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> results;
  private final WorkerExecutor writers;
  private Map<RunningJob, JsonArray> batch = new LinkedHashMap<>();
  private List<Promise<Void>> waiting = new ArrayList<>();
  private boolean flushScheduled;

  ResultBatches(Vertx vertx, IMap<String, HazelcastJsonValue> results) {
    this.vertx = vertx;
    this.results = results;
    this.writers = vertx.createSharedWorkerExecutor(WRITERS, 2);
  }

  /** Releases the writer threads (results already handed to them are still written). */
  void close() {
    writers.close();
  }

  Future<Void> write(RunningJob job, TargetResult result) {
    Promise<Void> stored = Promise.promise();
    boolean flushNow;
    boolean schedule = false;
    synchronized (this) {
      batch.computeIfAbsent(job, j -> new JsonArray()).add(result.toJson());
      waiting.add(stored);
      // a job's last result goes out at once: the job reads done only once all its results are stored
      flushNow = waiting.size() >= MAX_BATCH || job.allKnownNow();
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
    return stored.future();
  }

  private void flush() {
    Map<RunningJob, JsonArray> full;
    List<Promise<Void>> done;
    synchronized (this) {
      flushScheduled = false;
      if (waiting.isEmpty()) {
        return;
      }
      full = batch;
      done = waiting;
      batch = new LinkedHashMap<>();
      waiting = new ArrayList<>();
    }
    Map<String, HazelcastJsonValue> entries = new HashMap<>();
    full.forEach((job, items) -> entries.put(JobStore.batchKey(job.job().id(), job.nextBatch()),
        new HazelcastJsonValue(items.encode())));
    store(entries, done, STORE_ATTEMPTS);
  }

  /** Writes the entries; while the cluster refuses the write, tries again (a result decided is never dropped). */
  private void store(Map<String, HazelcastJsonValue> entries, List<Promise<Void>> done, int attemptsLeft) {
    Context context = vertx.getOrCreateContext();
    writers.<CompletionStage<Void>>executeBlocking(() -> results.setAllAsync(entries), false)
        .compose(Future::fromCompletionStage)
        .onComplete(ar -> context.runOnContext(x -> stored(entries, done, attemptsLeft, ar.cause())));
  }

  private void stored(Map<String, HazelcastJsonValue> entries, List<Promise<Void>> done, int attemptsLeft,
      Throwable failure) {
    if (failure != null && attemptsLeft > 1) {
      vertx.setTimer(RETRY_MS, id -> store(entries, done, attemptsLeft - 1));
      return;
    }
    done.forEach(p -> {
      if (failure == null) {
        p.tryComplete();
      } else {
        p.tryFail(failure);
      }
    });
  }
}
