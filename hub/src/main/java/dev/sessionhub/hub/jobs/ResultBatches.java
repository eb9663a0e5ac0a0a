package dev.sessionhub.hub.jobs;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the results a coordinating hub decided in memory in batches: one {@code setAll} for up to {@link
 * #MAX_BATCH} results or whatever arrived within {@link #LINGER_MS}, instead of one map operation (and one worker
 * thread hop) per target. Only results that have no other writer come here (the coordinator's own targets, whose
 * first result {@link RunningJob} already decided), so a plain set is safe. Each write's future completes on the
 * flushing Vert.x context once its batch is stored.
 */
final class ResultBatches {

  static final int MAX_BATCH = 512;
  static final long LINGER_MS = 10;

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> results;
  private Map<String, HazelcastJsonValue> batch = new HashMap<>();
  private List<Promise<Void>> waiting = new ArrayList<>();
  private boolean flushScheduled;

  ResultBatches(Vertx vertx, IMap<String, HazelcastJsonValue> results) {
    this.vertx = vertx;
    this.results = results;
  }

  Future<Void> write(String key, HazelcastJsonValue value) {
    Promise<Void> stored = Promise.promise();
    boolean flushNow;
    boolean schedule = false;
    synchronized (this) {
      batch.put(key, value);
      waiting.add(stored);
      flushNow = batch.size() >= MAX_BATCH;
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
    Map<String, HazelcastJsonValue> full;
    List<Promise<Void>> done;
    synchronized (this) {
      flushScheduled = false;
      if (batch.isEmpty()) {
        return;
      }
      full = batch;
      done = waiting;
      batch = new HashMap<>();
      waiting = new ArrayList<>();
    }
    Context context = vertx.getOrCreateContext();
    results.setAllAsync(full).whenComplete((v, failure) -> context.runOnContext(x -> done.forEach(p -> {
      if (failure == null) {
        p.tryComplete();
      } else {
        p.tryFail(failure);
      }
    })));
  }
}
