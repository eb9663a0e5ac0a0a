package dev.sessionhub.ops.farm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The violations a soak saw, by invariant, each with its evidence. A condition seen again and again (the same
 * session missing from the same hub on every check) is one episode with its first evidence, how many checks saw
 * it and for how long, rather than a line per check.
 */
final class SoakViolations {

  static final String LISTED = "(a) an established live session is listed by every live, unfrozen hub";
  static final String GONE = "(b) a killed session leaves every listing within lease + 2 intervals";
  static final String RESULTS = "(c) one result per live session, ok unless it died; done means no pending";
  static final String EXECUTIONS = "(d) no command runs twice, on a non-target, or after its target ended otherwise";
  static final String SAME_JOB = "(e) every job reads the same through every hub";
  static final String LATENCY = "(f) API p99 under 2 s";
  static final String EVENT_LOOP = "(g) no hub's event loop (or worker) is blocked, but by a freeze of that hub";
  static final List<String> ALL = List.of(LISTED, GONE, RESULTS, EXECUTIONS, SAME_JOB, LATENCY, EVENT_LOOP);

  /** Checks of one condition more than this apart are separate episodes. */
  private static final Duration EPISODE_GAP = Duration.ofSeconds(5);
  private static final int PRINTED_PER_INVARIANT = 25;

  private static final class Episode {
    final String evidence;
    final Instant first;
    Instant last;
    int checks = 1;
    int worst;
    String worstEvidence;

    Episode(String evidence, Instant first) {
      this.evidence = evidence;
      this.first = first;
      this.last = first;
    }

    @Override
    public String toString() {
      String out = checks == 1 ? evidence : evidence + " [seen by " + checks + " checks over "
          + Duration.between(first, last).toMillis() + " ms, until " + last + "]";
      return worstEvidence == null ? out : out + "\n        worst: " + worstEvidence;
    }
  }

  private final Map<String, List<Episode>> byInvariant = new LinkedHashMap<>();
  private final Map<String, Episode> open = new HashMap<>();

  SoakViolations() {
    ALL.forEach(i -> byInvariant.put(i, new ArrayList<>()));
  }

  /** One violation with its evidence. */
  synchronized void record(String invariant, Instant at, String evidence) {
    byInvariant.get(invariant).add(new Episode(at + " " + evidence, at));
  }

  /** A condition seen by a check: a new episode, or the one under way for the same {@code key}. */
  synchronized void seen(String invariant, String key, Instant at, Supplier<String> evidence) {
    Episode e = open.get(invariant + "|" + key);
    if (e != null && Duration.between(e.last, at).compareTo(EPISODE_GAP) <= 0) {
      e.last = at;
      e.checks++;
      return;
    }
    e = new Episode(at + " " + evidence.get(), at);
    open.put(invariant + "|" + key, e);
    byInvariant.get(invariant).add(e);
  }

  /**
   * A condition of some size (how many sessions a listing lacks) seen by a check: one episode per {@code key}
   * while it lasts, keeping the evidence of its first and of its worst check.
   */
  synchronized void seen(String invariant, String key, Instant at, int size, Supplier<String> evidence) {
    Episode e = open.get(invariant + "|" + key);
    if (e != null && Duration.between(e.last, at).compareTo(EPISODE_GAP) <= 0) {
      e.last = at;
      e.checks++;
      if (size > e.worst) {
        e.worst = size;
        e.worstEvidence = at + " " + evidence.get();
      }
      return;
    }
    e = new Episode(at + " " + evidence.get(), at);
    e.worst = size;
    open.put(invariant + "|" + key, e);
    byInvariant.get(invariant).add(e);
  }

  synchronized int count(String invariant) {
    return byInvariant.get(invariant).size();
  }

  synchronized int total() {
    return byInvariant.values().stream().mapToInt(List::size).sum();
  }

  /** Every invariant with its count and (the first of) its evidence lines. */
  synchronized String describe() {
    StringBuilder out = new StringBuilder();
    byInvariant.forEach((invariant, episodes) -> {
      out.append(String.format("  %-95s %d%n", invariant, episodes.size()));
      episodes.stream().limit(PRINTED_PER_INVARIANT).forEach(e -> out.append("      ").append(e).append('\n'));
      if (episodes.size() > PRINTED_PER_INVARIANT) {
        out.append("      … and ").append(episodes.size() - PRINTED_PER_INVARIANT).append(" more\n");
      }
    });
    return out.toString();
  }
}
