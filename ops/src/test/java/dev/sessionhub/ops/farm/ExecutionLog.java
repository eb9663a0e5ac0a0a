package dev.sessionhub.ops.farm;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Invariant (d), from inside the sessions: every broadcast's code appends "TOKEN MILLIS" to
 * {@code PID-INDEX.log} in a shared directory (INDEX is the sim's {@code session_index}, or {@code s} for a
 * standalone session), so each line is one execution by one session process. Read at the end of the run (after
 * a settle period that outlasts any stale batch) and held against every job's final results: a target may run
 * its command at most once; exactly once if it reads {@code ok}; never if it reads a state that says the command
 * was not run ({@code unreachable}, or anything whose message starts "not sent"); and nothing runs on a session
 * that was not a target.
 */
final class ExecutionLog {

  record Execution(String token, SoakTimeline.Instance where, Instant at) {
  }

  private final Path dir;
  private final SoakTimeline timeline;
  private final SoakViolations violations;
  private int executions;
  private int unattributed;

  ExecutionLog(Path dir, SoakTimeline timeline, SoakViolations violations) {
    this.dir = dir;
    this.timeline = timeline;
    this.violations = violations;
  }

  int executions() {
    return executions;
  }

  int unattributed() {
    return unattributed;
  }

  List<Execution> read() throws IOException {
    List<Execution> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        String name = file.getFileName().toString();
        String[] parts = name.substring(0, name.length() - 4).split("-", 2);
        Optional<SoakTimeline.Instance> where = timeline.byPid(Long.parseLong(parts[0]), parts[1]);
        for (String line : Files.readAllLines(file)) {
          String[] fields = line.trim().split(" ");
          if (fields.length != 2) {
            continue;
          }
          if (where.isEmpty()) {
            unattributed++;
            violations.record(SoakViolations.EXECUTIONS, Instant.ofEpochMilli(Long.parseLong(fields[1])),
                "an execution of " + fields[0] + " by pid " + parts[0] + " index " + parts[1]
                + ", a process the soak did not start");
            continue;
          }
          out.add(new Execution(fields[0], where.get(), Instant.ofEpochMilli(Long.parseLong(fields[1]))));
        }
      }
    }
    executions = out.size();
    return out;
  }

  /** Judges every execution against the jobs' results. */
  void judge(List<SoakJob> jobs) throws IOException {
    Map<String, Map<String, List<Execution>>> byTokenAndAddress = new HashMap<>();
    for (Execution e : read()) {
      byTokenAndAddress.computeIfAbsent(e.token(), t -> new HashMap<>())
          .computeIfAbsent(e.where().address, a -> new ArrayList<>()).add(e);
    }
    for (SoakJob job : jobs) {
      Map<String, List<Execution>> ran = byTokenAndAddress.getOrDefault(job.token, Map.of());
      if (job.reference == null) {
        if (!ran.isEmpty() && job.startError != null && !job.startError.startsWith("no answer")) {
          violations.record(SoakViolations.EXECUTIONS, job.sent, "broadcast #" + job.number + " was refused ("
              + job.startError + ") yet ran on " + ran.size() + " sessions, e.g. " + ran.keySet().iterator().next());
        }
        continue;
      }
      Map<String, JsonObject> results = SoakJob.results(job.reference);
      for (Map.Entry<String, List<Execution>> e : ran.entrySet()) {
        JsonObject r = results.get(e.getKey());
        List<Execution> runs = e.getValue();
        if (r == null) {
          violations.record(SoakViolations.EXECUTIONS, runs.get(0).at(), job + " ran on " + runs.get(0).where()
              + ", which is not one of its targets (" + runs.size() + " times)");
          continue;
        }
        String state = r.getString("state");
        String message = String.valueOf(r.getString("message"));
        if (runs.size() > 1) {
          violations.record(SoakViolations.EXECUTIONS, runs.get(1).at(), job + " ran " + runs.size()
              + " times on " + e.getKey() + ": " + describe(runs) + "; result " + state);
        }
        boolean saidNotRun = state.equals("unreachable") || message.startsWith("not sent");
        if (saidNotRun && !BroadcastDriver.saysOutcomeUnknown(r)) {
          long after = runs.get(0).at().toEpochMilli() - Instant.parse(r.getString("finished_at")).toEpochMilli();
          violations.record(SoakViolations.EXECUTIONS, runs.get(0).at(), job + " ran on " + runs.get(0).where()
              + " at " + runs.get(0).at() + ", " + Math.abs(after) + " ms " + (after >= 0 ? "after" : "before")
              + " its result said it did not: " + state + " (" + message + ", ran_by " + r.getString("ran_by")
              + ")");
        }
      }
      results.forEach((address, r) -> {
        if ("ok".equals(r.getString("state")) && !ran.containsKey(address)) {
          violations.record(SoakViolations.EXECUTIONS, job.doneSeenAt, job + " reads ok for " + address
              + " but no session there logged running it (output " + r.getString("output") + ")");
        }
      });
    }
  }

  private static String describe(List<Execution> runs) {
    StringBuilder out = new StringBuilder();
    for (Execution e : runs) {
      out.append(out.length() == 0 ? "" : ", ").append(e.where()).append(" at ").append(e.at());
    }
    return out.toString();
  }
}
