package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stores each target's result unless the target already has one, atomically on the member that owns the keys,
 * and answers, per key, the result that stands (null where this one was stored): put-if-absent for several keys
 * of one job at once ({@code submitToKeys}; {@link JobPartitioning} puts them in one partition, so it is one
 * operation). The backup replica runs the same rule on the same values. It travels as {@link
 * IdentifiedDataSerializable}: key and JSON strings and a number.
 */
final class FirstResultWins extends JobsSerializable
    implements EntryProcessor<String, HazelcastJsonValue, String> {

  static final int CLASS_ID = 2;

  /** Result key → the result's JSON. */
  private Map<String, String> results;
  private long ttlMillis;

  FirstResultWins() {
    super(CLASS_ID);
  }

  FirstResultWins(Map<String, String> results, long ttlMillis) {
    super(CLASS_ID);
    this.results = results;
    this.ttlMillis = ttlMillis;
  }

  @Override
  public String process(Map.Entry<String, HazelcastJsonValue> entry) {
    HazelcastJsonValue standing = entry.getValue();
    if (standing != null) {
      return standing.toString();
    }
    String json = results.get(entry.getKey());
    if (json != null) {
      ((ExtendedMapEntry<String, HazelcastJsonValue>) entry).setValue(new HazelcastJsonValue(json), ttlMillis,
          TimeUnit.MILLISECONDS);
    }
    return null;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(ttlMillis);
    out.writeInt(results.size());
    for (Map.Entry<String, String> r : results.entrySet()) {
      out.writeString(r.getKey());
      out.writeString(r.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    ttlMillis = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > RunBatchTask.MAX_TARGETS) {
      throw new IOException(n + " results to store refused");
    }
    results = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      String key = in.readString();
      String json = in.readString();
      if (key == null || json == null) {
        throw new IOException("a result to store must not be null");
      }
      results.put(key, json);
    }
  }
}
