package dev.sessionhub.ops.farm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The soak's closing summary, and invariant (f): the p99 of every API call answered (or timed out) by a hub that
 * was running for the whole call, overall and per endpoint; 5xx answers other than a recovering hub's "not
 * ready" count as violations too.
 */
final class SoakReport {

  private SoakReport() {
  }

  /**
   * Judges (f) from the API log, calls made from {@code since} (the start of the faults: the farm's start-up and
   * warm-up are not judged); returns the latency table for the report.
   */
  static String judgeLatency(SoakHubApi api, SoakTimeline timeline, SoakViolations violations, Duration grace,
      java.time.Instant since) {
    Map<String, List<Long>> byEndpoint = new TreeMap<>();
    List<SoakHubApi.Call> slow = new ArrayList<>();
    for (SoakHubApi.Call c : api.log()) {
      if (c.sent().isBefore(since) || !timeline.runningThroughout(c.hub(), c.sent(), c.received())) {
        continue;
      }
      byEndpoint.computeIfAbsent("all", k -> new ArrayList<>()).add(c.millis());
      byEndpoint.computeIfAbsent(c.endpoint(), k -> new ArrayList<>()).add(c.millis());
      if (c.millis() >= 2000) {
        slow.add(c);
      }
      boolean excusedNotReady = c.status() == 503 && timeline.recovering(c.hub(), c.sent(), grace);
      if (c.status() >= 500 && !excusedNotReady) {
        violations.record(SoakViolations.LATENCY, c.sent(), c.endpoint() + " through "
            + timeline.describe(c.hub(), c.sent()) + " answered an error: " + c.error());
      }
    }
    StringBuilder table = new StringBuilder();
    byEndpoint.forEach((endpoint, ms) -> {
      List<Long> sorted = ms.stream().sorted().toList();
      table.append(String.format("    %-22s n=%-6d p50=%5d ms  p99=%5d ms  max=%6d ms%n", endpoint, sorted.size(),
          percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1)));
    });
    List<Long> all = byEndpoint.getOrDefault("all", List.of()).stream().sorted().toList();
    long p99 = percentile(all, 99);
    if (p99 >= 2000) {
      violations.record(SoakViolations.LATENCY, timeline.now(), "API p99 " + p99 + " ms over " + all.size()
          + " calls to running hubs");
    }
    slow.sort((a, b) -> Long.compare(b.millis(), a.millis()));
    for (SoakHubApi.Call c : slow.subList(0, Math.min(10, slow.size()))) {
      table.append("    slow: ").append(c.endpoint()).append(" through ").append(timeline.describe(c.hub(), c.sent()))
          .append(" at ").append(c.sent()).append(": ").append(c.millis()).append(" ms")
          .append(c.error() == null ? "" : " (" + c.error() + ")").append('\n');
    }
    table.append("    calls of 2 s or more to running hubs: ").append(slow.size()).append('\n');
    return table.toString();
  }

  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
  }

  /**
   * The slowest comeback of each kind to one view, in ms: from the restart (process start) or the SIGCONT or the
   * heal; for restarts also from the moment the hub served. Comebacks never seen rejoined are listed apart.
   */
  static String comebacks(SoakTimeline timeline) {
    Map<String, Long> slowest = new TreeMap<>();
    Map<String, Long> slowestFromBack = new TreeMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    List<String> never = new ArrayList<>();
    for (SoakTimeline.Comeback c : timeline.comebacks()) {
      counts.merge(c.kind, 1, Integer::sum);
      if (c.rejoinedAt == null) {
        never.add("hub " + c.hub + " " + c.kind + " at " + c.since);
      } else {
        slowest.merge(c.kind, Duration.between(c.since, c.rejoinedAt).toMillis(), Math::max);
        slowestFromBack.merge(c.kind, Duration.between(c.back, c.rejoinedAt).toMillis(), Math::max);
      }
    }
    StringBuilder out = new StringBuilder();
    counts.forEach((kind, n) -> out.append(String.format("    %-8s %d, slowest to one view: %s%s%n", kind, n,
        slowest.containsKey(kind) ? slowest.get(kind) + " ms" : "-",
        kind.equals("restart") && slowest.containsKey(kind) ? " (" + slowestFromBack.get(kind)
            + " ms after it served)" : "")));
    if (counts.isEmpty()) {
      out.append("    none\n");
    }
    if (!never.isEmpty()) {
      out.append("    never seen with one view: ").append(String.join(", ", never)).append('\n');
    }
    return out.toString();
  }
}
