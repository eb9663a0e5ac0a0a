package dev.sessionhub.hub.impl.jobs;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The end of one target of a job: its state, and the output (ok) or the fault code and text (error), or what
 * went wrong (timeout, unreachable). Stored as JSON in the job results map.
 */
public record TargetResult(String jobId, String address, TargetState state, String output, int faultCode,
    String message, Instant finishedAt, long durationMs, String ranBy, boolean afterCancel) {

  public static TargetResult ok(String jobId, String address, String output, Instant at, long ms, String hub) {
    return new TargetResult(jobId, address, TargetState.OK, output, 0, null, at, ms, hub, false);
  }

  public static TargetResult failed(String jobId, String address, TargetState state, int code, String message,
      Instant at, long ms, String hub) {
    return new TargetResult(jobId, address, state, null, code, message, at, ms, hub, false);
  }

  /**
   * The same end, marked as reached after its job was cancelled: the agent could not stop the command (it
   * cannot cancel, or the command had already ended), so this is its real outcome.
   */
  public TargetResult finishedAfterCancel() {
    return new TargetResult(jobId, address, state, output, faultCode, message, finishedAt, durationMs, ranBy, true);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("job", jobId).put("address", address).put("state", state.wire())
        .put("finished_at", finishedAt.toString()).put("duration_ms", durationMs).put("ran_by", ranBy);
    if (output != null) {
      json.put("output", output);
    }
    if (state != TargetState.OK) {
      json.put("fault_code", faultCode).put("message", message);
    }
    if (afterCancel) {
      json.put("after_cancel", true);
    }
    return json;
  }

  public static TargetResult fromJson(JsonObject j) {
    return new TargetResult(j.getString("job"), j.getString("address"), TargetState.fromWire(j.getString("state")),
        j.getString("output"), j.getInteger("fault_code", 0), j.getString("message"),
        Instant.parse(j.getString("finished_at")), j.getLong("duration_ms", 0L), j.getString("ran_by", ""),
        j.getBoolean("after_cancel", false));
  }
}
