package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import io.vertx.core.Vertx;
import java.util.UUID;

/**
 * Each job's own addresses on a hub's local event bus, where its results and its output pieces are published as
 * they are heard from the cluster (JSON text), so whoever follows one job hears that job only.
 */
public final class JobEvents {

  private JobEvents() {
  }

  /** Where {@code jobId}'s results are published, one result (JSON text) per message. */
  public static String resultsAddress(String jobId) {
    return "sessionhub.job." + jobId + ".results";
  }

  /** Where {@code jobId}'s pieces of live output are published ({@link JobOutputs.Chunk} JSON). */
  public static String outputAddress(String jobId) {
    return "sessionhub.job." + jobId + ".output";
  }

  /**
   * Publishes every result written anywhere in the cluster at its job's address. The job is read from the entry's
   * key ({@code jobId|...}), so no value is parsed unless someone follows that job.
   */
  public static UUID relayResults(Vertx vertx, IMap<String, HazelcastJsonValue> results) {
    return results.addEntryListener((EntryAddedListener<String, HazelcastJsonValue>) (EntryEvent<String,
        HazelcastJsonValue> e) -> {
      int bar = e.getKey().indexOf('|');
      if (bar <= 0) {
        return;
      }
      try {
        vertx.eventBus().publish(resultsAddress(e.getKey().substring(0, bar)), e.getValue().getValue());
      } catch (RuntimeException ignored) {
        // never into Hazelcast's event threads
      }
    }, true);
  }
}
