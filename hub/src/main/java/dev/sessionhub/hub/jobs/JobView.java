package dev.sessionhub.hub.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A job as callers read it: the job, a result for every target that has ended, counts per state, and whether it
 * is done. Past the deadline a target with no result reads as {@code timeout}, so a job whose coordinating hub
 * died still ends, truthfully, for whoever reads it through another hub.
 */
public record JobView(Job job, List<TargetResult> results, boolean done) {

  public static JobView of(Job job, Map<String, TargetResult> byAddress, Instant now) {
    boolean pastDeadline = now.isAfter(job.deadline());
    List<TargetResult> results = new java.util.ArrayList<>();
    for (String address : job.targets()) {
      TargetResult r = byAddress.get(address);
      if (r == null && pastDeadline) {
        r = TargetResult.failed(job.id(), address, TargetState.TIMEOUT, -32002,
            "no result by the job's deadline (" + job.deadline() + ")", job.deadline(), job.timeoutMs(), "");
      }
      if (r != null) {
        results.add(r);
      }
    }
    return new JobView(job, results, results.size() == job.targets().size());
  }

  public Map<TargetState, Integer> counts() {
    Map<TargetState, Integer> counts = new EnumMap<>(TargetState.class);
    for (TargetState s : TargetState.values()) {
      counts.put(s, 0);
    }
    results.forEach(r -> counts.merge(r.state(), 1, Integer::sum));
    return counts;
  }

  public boolean allOk() {
    return done && results.stream().allMatch(r -> r.state() == TargetState.OK);
  }

  /** The job as JSON; {@code withResults} false gives the summary used in listings. */
  public JsonObject toJson(boolean withResults) {
    JsonObject json = job.toJson().put("state", done ? "done" : "running").put("target_count", job.targets().size());
    JsonObject counts = new JsonObject();
    counts().forEach((state, n) -> counts.put(state.wire(), n));
    counts.put("pending", job.targets().size() - results.size());
    json.put("counts", counts);
    if (withResults) {
      JsonArray items = new JsonArray();
      results.forEach(r -> items.add(r.toJson()));
      json.put("results", items);
    } else {
      json.remove("targets");
    }
    return json;
  }
}
