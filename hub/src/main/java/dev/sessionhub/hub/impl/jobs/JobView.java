package dev.sessionhub.hub.impl.jobs;

import dev.sessionhub.shared.xmlrpc.FaultCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A job as callers read it: the job, a result for every target that has ended, counts per state, and whether it
 * is done. A living coordinator records every open target at the job's deadline; a target that still has no
 * result readable here {@link #SETTLE} after it reads as {@code unknown} (its coordinator died, or the result is
 * on the other side of a network split), so a job still ends for whoever reads it, without claiming an outcome
 * nobody saw.
 */
public record JobView(Job job, List<TargetResult> results, boolean done, boolean cancelled,
    Map<String, JobOutputs.SoFar> liveOutput) {

  public JobView(Job job, List<TargetResult> results, boolean done, boolean cancelled) {
    this(job, results, done, cancelled, Map.of());
  }

  /** How long after the deadline readers wait for the coordinator's own records of the open targets. */
  static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(5);

  public static JobView of(Job job, Map<String, TargetResult> byAddress, Instant now) {
    boolean settled = now.isAfter(job.deadline().plus(SETTLE));
    List<TargetResult> results = new java.util.ArrayList<>();
    for (String address : job.targets()) {
      TargetResult r = byAddress.get(address);
      if (r == null && settled) {
        r = TargetResult.failed(job.id(), address, TargetState.UNKNOWN, FaultCode.OUTCOME_UNKNOWN.code(),
            "no result readable through this hub by the job's deadline (" + job.deadline() + "): its outcome is "
                + "unknown here (the coordinating or owning hub died, or is cut off from this one)",
            job.deadline(), job.timeoutMs(), "");
      }
      if (r != null) {
        results.add(r);
      }
    }
    return new JobView(job, results, results.size() == job.targets().size(), false);
  }

  /** The same view, saying whether its job was cancelled. */
  /**
   * The same results, read as still running: the coordinator knows every end but has not yet stored them all, and
   * a job is done only once no reader anywhere can see less (its hub may die the next moment).
   */
  public JobView untilStored() {
    return done ? new JobView(job, results, false, cancelled, liveOutput) : this;
  }

  public JobView withCancelled(boolean wasCancelled) {
    return wasCancelled == cancelled ? this : new JobView(job, results, done, wasCancelled, liveOutput);
  }

  /** The same view with what its running targets printed so far (by address), as this hub heard it. */
  public JobView withLiveOutput(Map<String, JobOutputs.SoFar> soFar) {
    return new JobView(job, results, done, cancelled, soFar);
  }

  /** Targets without a result yet, each with what it printed so far where this hub heard any. */
  private JsonArray running() {
    java.util.Set<String> ended = new java.util.HashSet<>();
    results.forEach(r -> ended.add(r.address()));
    JsonArray running = new JsonArray();
    for (String address : job.targets()) {
      if (!ended.contains(address)) {
        JobOutputs.SoFar soFar = liveOutput.get(address);
        running.add(new JsonObject().put("address", address).put("output", soFar == null ? "" : soFar.text()));
      }
    }
    return running;
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
    if (cancelled) {
      json.put("cancelled", true);
    }
    JsonObject counts = new JsonObject();
    counts().forEach((state, n) -> counts.put(state.wire(), n));
    counts.put("pending", job.targets().size() - results.size());
    counts.put("finished_after_cancel", (int) results.stream().filter(TargetResult::afterCancel).count());
    json.put("counts", counts);
    if (withResults) {
      JsonArray items = new JsonArray();
      results.forEach(r -> items.add(r.toJson()));
      json.put("results", items);
      if (!done) {
        json.put("running", running());
      }
    } else {
      json.remove("targets");
    }
    return json;
  }
}
