package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What an owning hub answers its coordinator for a batch ({@link RunBatchTask}): each target's end as it stands in
 * the store once the batch is done, so the coordinator knows the job's outcome without reading back what the
 * owner has just written. Results travel as their stored JSON, up to {@link #MAX_CHARS} characters in all; the
 * ends of a batch whose output is larger are left out, and the coordinator reads those from the store as before.
 */
public final class BatchReply extends JobsSerializable {

  static final int CLASS_ID = 3;
  /** The most result JSON one reply carries (an agent's single answer may be 4 MiB; a batch has many). */
  static final int MAX_CHARS = 4 * 1024 * 1024;

  private List<String> results = new ArrayList<>();

  public BatchReply() {
    super(CLASS_ID);
  }

  /** The ends given, in order, as many as fit in {@link #MAX_CHARS}. */
  static BatchReply of(List<TargetResult> ends) {
    BatchReply reply = new BatchReply();
    long chars = 0;
    for (TargetResult end : ends) {
      String json = end.toJson().encode();
      chars += json.length();
      if (chars > MAX_CHARS) {
        break;
      }
      reply.results.add(json);
    }
    return reply;
  }

  /** The ends carried; one that cannot be read is left out (its target is then read from the store). */
  List<TargetResult> results() {
    List<TargetResult> ends = new ArrayList<>(results.size());
    for (String json : results) {
      try {
        ends.add(TargetResult.fromJson(new JsonObject(json)));
      } catch (RuntimeException e) {
        // not a result: the store has the target's end
      }
    }
    return ends;
  }

  /** How many ends this reply carries. */
  public int size() {
    return results.size();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(results.size());
    for (String json : results) {
      out.writeString(json);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > RunBatchTask.MAX_TARGETS) {
      throw new IOException("batch reply of " + n + " results refused");
    }
    results = new ArrayList<>(Math.min(n, 1024));
    long chars = 0;
    for (int i = 0; i < n; i++) {
      String json = in.readString();
      chars += json == null ? 0 : json.length();
      if (json == null || chars > MAX_CHARS) {
        throw new IOException("batch reply refused: a result is missing or the reply is over " + MAX_CHARS
            + " characters");
      }
      results.add(json);
    }
  }
}
