package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MetadataPolicy;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import dev.sessionhub.hub.impl.cluster.Replication;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which jobs were cancelled, cluster-wide: a cancel through any hub puts a marker in a Hazelcast map (kept as long
 * as jobs are), and every hub hears it and keeps the job ids in memory, so the check made before each command is
 * sent costs no cluster call. The hubs running a job's targets react to the event: targets not yet sent end
 * {@code cancelled}, commands queued or running in SessionHub agents are cancelled there.
 */
public final class JobCancels implements AutoCloseable {

  public static final String MAP_NAME = "sessionhub.job-cancels";
  private static final Logger LOG = LoggerFactory.getLogger(JobCancels.class);

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> map;
  private final Clock clock;
  private final Duration ttl;
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private UUID registration;

  public JobCancels(Vertx vertx, HazelcastInstance hazelcast, Clock clock, Duration ttl) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(MAP_NAME);
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The markers live as long as the jobs they cancel. */
  public static void configure(Config config, Duration ttl) {
    int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, ttl.toSeconds()));
    config.addMapConfig(Replication.onEveryHub(new MapConfig(MAP_NAME)).setTimeToLiveSeconds(seconds)
        .setMetadataPolicy(MetadataPolicy.OFF));
  }

  /** Listens for markers, then loads those already there (so none falls between). */
  public JobCancels start() {
    Listener listener = new Listener();
    registration = map.addEntryListener(listener, false);
    vertx.executeBlocking(() -> {
      map.keySet().forEach(this::heard);
      return null;
    }, false).onFailure(e -> LOG.warn("could not load the cancelled jobs: {}", e.toString()));
    return this;
  }

  /** Calls {@code listener} with the id of every job cancelled from now on (on a Hazelcast event thread). */
  public void onCancel(Consumer<String> listener) {
    listeners.add(listener);
  }

  public boolean isCancelled(String jobId) {
    return cancelled.contains(jobId);
  }

  /** Marks the job cancelled by {@code by}; true if this was the first cancel of it. */
  public Future<Boolean> cancel(String jobId, String by) {
    JsonObject marker = new JsonObject().put("job", jobId).put("cancelled_at", clock.instant().toString())
        .put("cancelled_by", by);
    return vertx.executeBlocking(() -> {
      boolean first = map.putIfAbsent(jobId, new HazelcastJsonValue(marker.encode()), ttl.toMillis(),
          TimeUnit.MILLISECONDS) == null;
      heard(jobId);
      return first;
    }, false);
  }

  /** The cancel marker of a job ({@code cancelled_at}, {@code cancelled_by}), or null; blocking. */
  JsonObject markerBlocking(String jobId) {
    HazelcastJsonValue v = map.get(jobId);
    return v == null ? null : new JsonObject(v.getValue());
  }

  private void heard(String jobId) {
    if (cancelled.add(jobId)) {
      for (Consumer<String> l : listeners) {
        try {
          l.accept(jobId);
        } catch (RuntimeException e) {
          LOG.warn("cancel listener failed for job {}", jobId, e);
        }
      }
    }
  }

  @Override
  public void close() {
    if (registration != null) {
      try {
        map.removeEntryListener(registration);
      } catch (RuntimeException e) {
        LOG.debug("listener removal failed (member shutting down)", e);
      }
    }
  }

  private final class Listener implements EntryAddedListener<String, HazelcastJsonValue>,
      EntryMergedListener<String, HazelcastJsonValue> {
    @Override
    public void entryAdded(EntryEvent<String, HazelcastJsonValue> event) {
      heard(event.getKey());
    }

    @Override
    public void entryMerged(EntryEvent<String, HazelcastJsonValue> event) {
      heard(event.getKey());
    }
  }
}
