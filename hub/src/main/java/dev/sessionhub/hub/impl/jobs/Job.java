package dev.sessionhub.hub.impl.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A routed or broadcast command: what ran where, resolved once when the job started. Its per-target results live
 * apart (one entry each) so owners can write them independently; {@link JobView} joins the two.
 *
 * @param deadline when every target must have ended; a reader treats a target still open after it as timed out
 * @param rollout  how the targets roll out ({@link Rollout#ALL_AT_ONCE} unless asked)
 * @param waves    the waves sent so far, in order (one for a job that is not rolled out)
 */
public record Job(String id, String kind, String selector, String code, long timeoutMs, Instant createdAt,
    String createdBy, String coordinator, List<String> targets, Instant deadline, Rollout rollout,
    List<Wave> waves) {

  /** One wave of a rolling job: its targets and when they were sent. */
  public record Wave(int index, List<String> targets, Instant startedAt) {

    JsonObject toJson() {
      return new JsonObject().put("index", index).put("targets", new JsonArray(new ArrayList<>(targets)))
          .put("started_at", startedAt.toString());
    }

    static Wave fromJson(JsonObject j) {
      return new Wave(j.getInteger("index"), j.getJsonArray("targets").stream().map(String::valueOf).toList(),
          Instant.parse(j.getString("started_at")));
    }
  }

  /** The same job with one more wave sent. */
  public Job withWave(Wave wave) {
    List<Wave> more = new ArrayList<>(waves);
    more.add(wave);
    return new Job(id, kind, selector, code, timeoutMs, createdAt, createdBy, coordinator, targets, deadline,
        rollout, List.copyOf(more));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("kind", kind).put("selector", selector).put("code", code)
        .put("timeout_ms", timeoutMs).put("created_at", createdAt.toString()).put("created_by", createdBy)
        .put("coordinator", coordinator).put("targets", new JsonArray(new ArrayList<>(targets)))
        .put("deadline", deadline.toString());
    if (rollout.rolling()) {
      JsonArray w = new JsonArray();
      waves.forEach(wave -> w.add(wave.toJson()));
      json.put("rollout", rollout.toJson()).put("waves", w);
    }
    return json;
  }

  public static Job fromJson(JsonObject j) {
    JsonArray w = j.getJsonArray("waves", new JsonArray());
    List<Wave> waves = new ArrayList<>();
    for (int i = 0; i < w.size(); i++) {
      waves.add(Wave.fromJson(w.getJsonObject(i)));
    }
    return new Job(j.getString("id"), j.getString("kind"), j.getString("selector"), j.getString("code"),
        j.getLong("timeout_ms"), Instant.parse(j.getString("created_at")), j.getString("created_by"),
        j.getString("coordinator"), j.getJsonArray("targets").stream().map(String::valueOf).toList(),
        Instant.parse(j.getString("deadline")), Rollout.fromJson(j.getJsonObject("rollout")), List.copyOf(waves));
  }
}
