package dev.sessionhub.ops.farm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Invariants (a) and (b), checked about once a second on every hub that serves and is not frozen: its listing of
 * {@code *} must hold every session instance (address and pid) that has been up for longer than lease + two scan
 * intervals, and none the soak killed longer ago than that. A hub cut off from the others, or back from a fault
 * for less than that tolerance, may answer HTTP 503 ("not ready") instead; any listing it does give is judged.
 * A listing is judged only if its hub was running for the whole time the request was in flight. The same checks
 * time each comeback (a restarted, resumed or re-joined hub) until it first shows one view: every established
 * session, nothing killed, and a cluster of every hub.
 */
final class InventoryWatch implements AutoCloseable {

  private final SoakHubApi api;
  private final SoakTimeline timeline;
  private final SoakViolations violations;
  private final Duration tolerance;
  private final int[] hubs;
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService checks;
  private final Map<Integer, AtomicBoolean> inFlight = new HashMap<>();
  /** Per killed instance, the last time any hub still listed it. */
  private final Map<SoakTimeline.Instance, Instant> lastListedAfterKill = new ConcurrentHashMap<>();
  final AtomicLong listingsJudged = new AtomicLong();
  final AtomicLong notReadyAnswers = new AtomicLong();
  /** Of {@link #notReadyAnswers}, those past the hub's own tolerance while another hub's fault held its recovery. */
  final AtomicLong notReadyHeldByAnother = new AtomicLong();
  final AtomicLong sessionChecks = new AtomicLong();

  InventoryWatch(SoakHubApi api, SoakTimeline timeline, SoakViolations violations, Duration tolerance,
      int... hubs) {
    this.api = api;
    this.timeline = timeline;
    this.violations = violations;
    this.tolerance = tolerance;
    this.hubs = hubs.clone();
    this.checks = Executors.newFixedThreadPool(hubs.length);
    for (int hub : hubs) {
      inFlight.put(hub, new AtomicBoolean());
    }
  }

  void start() {
    ticks.scheduleWithFixedDelay(this::tick, 0, 1000, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    for (int hub : hubs) {
      if (timeline.runningNow(hub) && inFlight.get(hub).compareAndSet(false, true)) {
        checks.execute(() -> {
          try {
            check(hub);
          } catch (RuntimeException e) {
            violations.record(SoakViolations.LISTED, timeline.now(), "the soak's own check of hub " + hub
                + " failed: " + e);
          } finally {
            inFlight.get(hub).set(false);
          }
        });
      }
    }
  }

  private void check(int hub) {
    // while a comeback is open, asked on every tick whatever the listing says: when the hub is in one cluster
    // again is what decides whether what it held alone (cut off) could merge back
    List<SoakTimeline.Comeback> pending = timeline.pendingComebacks(hub);
    SoakHubApi.Answer cluster = pending.isEmpty() ? null : api.get(hub, "GET /api/cluster", "/api/cluster");
    boolean whole = cluster != null && cluster.ok() && cluster.json().getInteger("size", 0) == hubs.length
        && timeline.runningThroughout(hub, cluster.sent(), cluster.received());
    if (whole) {
      pending.forEach(c -> timeline.clustered(c, cluster.received()));
    }
    SoakHubApi.Answer a = api.get(hub, "GET /api/sessions", "/api/sessions?selector=*");
    if (!timeline.runningThroughout(hub, a.sent(), a.received())) {
      return;  // down or frozen while asked: nothing to judge
    }
    boolean excused = timeline.recovering(hub, a.sent(), tolerance);
    if (saysNotReady(a)) {
      if (excused) {
        notReadyAnswers.incrementAndGet();
        if (timeline.heldByAnother(hub, a.sent(), tolerance)) {
          notReadyHeldByAnother.incrementAndGet();
        }
      } else {
        violations.seen(SoakViolations.LISTED, "not-ready " + hub, a.sent(), () -> timeline.describe(hub, a.sent())
            + " answered not ready while healthy: " + a.summary());
      }
      return;
    }
    if (!a.ok()) {
      return;  // a failed call is judged by the latency invariant
    }
    Map<String, Long> listed = new HashMap<>();
    JsonArray sessions = a.json().getJsonArray("sessions", new JsonArray());
    for (int i = 0; i < sessions.size(); i++) {
      JsonObject s = sessions.getJsonObject(i);
      Object pid = s.getValue("pid");
      listed.put(s.getString("address"), pid instanceof Number n ? n.longValue() : -1L);
    }
    listingsJudged.incrementAndGet();
    List<SoakTimeline.Instance> expected = timeline.establishedThroughout(a.sent(), a.received(), tolerance);
    sessionChecks.addAndGet(expected.size());
    List<String> missing = new ArrayList<>();
    for (SoakTimeline.Instance i : expected) {
      Long pid = listed.get(i.address);
      if (pid == null || pid != i.pid) {
        missing.add(i + " up " + Duration.between(i.readyAt, a.sent()).toSeconds() + " s"
            + (pid == null ? "" : " (pid " + pid + " listed there)"));
      }
    }
    if (!missing.isEmpty()) {
      violations.seen(SoakViolations.LISTED, "missing " + hub, a.sent(), missing.size(),
          () -> timeline.describe(hub, a.sent()) + " lists " + listed.size() + " sessions but lacks " + missing.size()
          + " of the " + expected.size() + " up for longer than " + tolerance.toSeconds() + " s: " + first(missing));
    }
    List<String> stale = new ArrayList<>();
    for (SoakTimeline.Instance i : timeline.killedBefore(a.received(), Duration.ZERO)) {
      Long pid = listed.get(i.address);
      if (pid != null && pid == i.pid) {
        lastListedAfterKill.merge(i, a.sent(), (x, y) -> x.isAfter(y) ? x : y);
        if (!i.killedAt().plus(tolerance).isAfter(a.sent())) {
          stale.add(i + " killed " + Duration.between(i.killedAt(), a.sent()).toMillis() + " ms before");
        }
      }
    }
    if (!stale.isEmpty()) {
      violations.seen(SoakViolations.GONE, "stale " + hub, a.sent(), stale.size(),
          () -> timeline.describe(hub, a.sent()) + " still lists " + stale.size() + " sessions killed more than "
          + tolerance.toSeconds() + " s before: " + first(stale));
    }
    if (whole && missing.isEmpty() && stale.isEmpty()
        && timeline.runningThroughout(hub, cluster.sent(), a.received())) {
      pending.forEach(c -> timeline.rejoined(c, a.received()));
    }
  }

  /**
   * A hub's way of saying it cannot vouch for its listing: HTTP 503, or a listing marked {@code "ready": false}
   * (or {@code "complete": false}), whichever the product settles on.
   */
  static boolean saysNotReady(SoakHubApi.Answer a) {
    return a.status() == 503 || (a.ok() && (Boolean.FALSE.equals(a.json().getValue("ready"))
        || Boolean.FALSE.equals(a.json().getValue("complete"))));
  }

  private static String first(List<String> items) {
    return String.join(", ", items.subList(0, Math.min(6, items.size()))) + (items.size() > 6 ? ", …" : "");
  }

  /** The longest a killed session was still listed by some hub after its kill, in ms (-1 if none was killed). */
  long slowestGoneMillis() {
    long worst = -1;
    for (SoakTimeline.Instance i : timeline.killedBefore(timeline.now(), Duration.ZERO)) {
      Instant last = lastListedAfterKill.get(i);
      worst = Math.max(worst, last == null ? 0 : Duration.between(i.killedAt(), last).toMillis());
    }
    return worst;
  }

  @Override
  public void close() {
    ticks.shutdownNow();
    checks.shutdownNow();
    try {
      checks.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
