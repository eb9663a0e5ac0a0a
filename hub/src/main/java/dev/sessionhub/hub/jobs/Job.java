package dev.sessionhub.hub.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A routed or broadcast command: what ran where, resolved once when the job started. Its per-target results live
 * apart (one entry each) so owners can write them independently; {@link JobView} joins the two.
 *
 * @param deadline when every target must have ended; a reader treats a target still open after it as timed out
 */
public record Job(String id, String kind, String selector, String code, long timeoutMs, Instant createdAt,
    String createdBy, String coordinator, List<String> targets, Instant deadline) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("kind", kind).put("selector", selector).put("code", code)
        .put("timeout_ms", timeoutMs).put("created_at", createdAt.toString()).put("created_by", createdBy)
        .put("coordinator", coordinator).put("targets", new JsonArray(new java.util.ArrayList<>(targets)))
        .put("deadline", deadline.toString());
  }

  public static Job fromJson(JsonObject j) {
    return new Job(j.getString("id"), j.getString("kind"), j.getString("selector"), j.getString("code"),
        j.getLong("timeout_ms"), Instant.parse(j.getString("created_at")), j.getString("created_by"),
        j.getString("coordinator"), j.getJsonArray("targets").stream().map(String::valueOf).toList(),
        Instant.parse(j.getString("deadline")));
  }
}
