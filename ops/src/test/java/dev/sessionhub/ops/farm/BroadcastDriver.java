package dev.sessionhub.ops.farm;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Broadcasts to {@code *} all along the soak, each through a hub chosen at random among those running, with a
 * unique token the code appends, with the session's pid and the time, to an execution log on the shared file
 * system (so what ran is counted from inside the sessions, invariant (d)). Each job is followed until it reads
 * done, then judged: (c) one result per session alive during the whole job, {@code ok} unless the session died,
 * nothing pending in a job read done; (e) the same view through every other running hub at once, and through
 * every hub again at the end of the run.
 */
final class BroadcastDriver implements AutoCloseable {

  private final SoakHubApi api;
  private final SoakTimeline timeline;
  private final SoakViolations violations;
  private final SoakSettings settings;
  private final Random random;
  private final Path execDir;
  private final int[] hubs;
  private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService reads = Executors.newFixedThreadPool(4);
  private final List<SoakJob> jobs = new ArrayList<>();
  private final Set<SoakJob> following = ConcurrentHashMap.newKeySet();
  private final Set<SoakJob> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean starting = true;
  private int resultsChecked;
  private int crossReads;
  private int unknownOutcomes;
  private int laggingReads;
  private int unsureReads;
  private final Map<Integer, String> lostWithCoordinator = new HashMap<>();

  BroadcastDriver(SoakHubApi api, SoakTimeline timeline, SoakViolations violations, SoakSettings settings,
      Random random, Path execDir, int... hubs) {
    this.api = api;
    this.timeline = timeline;
    this.violations = violations;
    this.settings = settings;
    this.random = random;
    this.execDir = execDir;
    this.hubs = hubs.clone();
  }

  /** The code a broadcast runs: one line in this session's execution log, then the token on stdout. */
  static String code(Path execDir, String token) {
    return "import os, time\n"
        + "_soak_log = open('" + execDir + "/%d-%s.log' % (os.getpid(), globals().get('session_index', 's')), 'a')\n"
        + "try:\n"
        + "    _soak_log.write('" + token + " %d\\n' % int(time.time() * 1000))\n"
        + "finally:\n"
        + "    _soak_log.close()\n"
        + "print('" + token + "')\n";
  }

  void start() {
    starter.schedule(this::broadcast, 0, TimeUnit.MILLISECONDS);
    poller.scheduleWithFixedDelay(this::pollAll, 1000, 1000, TimeUnit.MILLISECONDS);
  }

  /** Starts no more broadcasts; those under way are still followed. */
  void stopStarting() {
    starting = false;
  }

  boolean allDone() {
    return following.isEmpty();
  }

  synchronized List<SoakJob> jobs() {
    return List.copyOf(jobs);
  }

  synchronized int resultsChecked() {
    return resultsChecked;
  }

  /** Results of sessions alive all along that said their outcome could not be known (a hub died or froze). */
  synchronized int unknownOutcomes() {
    return unknownOutcomes;
  }

  /**
   * A result that says it cannot know whether its command ran (in flight on a hub that died): the one non-ok end
   * the issue allows a live session, and only while a hub fault overlapped the job.
   */
  static boolean saysOutcomeUnknown(JsonObject result) {
    String state = result.getString("state", "");
    String message = String.valueOf(result.getString("message")).toLowerCase();
    return state.equals("unknown") || message.contains("outcome unknown") || message.contains("may have run");
  }

  /** Reads through another hub that at first lagged behind a job just read done (then re-read). */
  synchronized int laggingReads() {
    return laggingReads;
  }

  /** Reads through a cut-off or recovering hub that answered "unknown" where they could not know. */
  synchronized int unsureReads() {
    return unsureReads;
  }

  /**
   * Jobs gone from the whole cluster with the hub that held them alone: cut off while it ran them, killed before
   * it was in one cluster again (by job number, with why). Counted, not judged: hubs keep jobs in memory only.
   */
  synchronized Map<Integer, String> lostWithCoordinator() {
    return new java.util.TreeMap<>(lostWithCoordinator);
  }

  private void lostWithCoordinator(SoakJob job, String why) {
    lostWithCoordinator.putIfAbsent(job.number, job + ": " + why);
  }

  synchronized int crossReads() {
    return crossReads;
  }

  private void broadcast() {
    if (!starting) {
      return;
    }
    List<Integer> running = new ArrayList<>();
    for (int hub : hubs) {
      if (timeline.runningNow(hub)) {
        running.add(hub);
      }
    }
    int pick = random.nextInt(hubs.length);
    long gapMs = 2500 + random.nextInt(3000);
    if (!running.isEmpty()) {
      int hub = running.get(pick % running.size());
      SoakJob job;
      synchronized (this) {
        job = new SoakJob(jobs.size() + 1, "soak-" + Long.toHexString(settings.seed()) + "-" + (jobs.size() + 1),
            hub, timeline.now());
        jobs.add(job);
      }
      SoakHubApi.Answer a = api.post(hub, "POST /api/broadcast", "/api/broadcast", new JsonObject()
          .put("selector", "*").put("code", code(execDir, job.token))
          .put("timeout", settings.jobTimeout().toSeconds()).put("wait", false));
      if (a.ok() && a.json().getString("id") != null) {
        job.id = a.json().getString("id");
        following.add(job);
      } else {
        job.startError = a.summary();
        boolean judged = timeline.runningThroughout(hub, a.sent(), a.received()) && a.status() != 0;
        boolean excused = a.status() == 503 && timeline.recovering(hub, a.sent(), settings.tolerance());
        if (judged && !excused) {
          violations.record(SoakViolations.RESULTS, a.sent(), "broadcast #" + job.number + " through "
              + timeline.describe(hub, a.sent()) + " was refused: " + a.summary());
        }
      }
    }
    starter.schedule(this::broadcast, gapMs, TimeUnit.MILLISECONDS);
  }

  private void pollAll() {
    for (SoakJob job : List.copyOf(following)) {
      if (inFlight.add(job)) {
        reads.execute(() -> {
          try {
            poll(job);
          } catch (RuntimeException e) {
            violations.record(SoakViolations.RESULTS, timeline.now(), "the soak's own follow-up of " + job
                + " failed: " + e);
            following.remove(job);
          } finally {
            inFlight.remove(job);
          }
        });
      }
    }
  }

  private void poll(SoakJob job) {
    Instant now = timeline.now();
    Instant giveUp = job.sent.plus(settings.jobTimeout()).plusSeconds(60);
    int hub = timeline.runningNow(job.hub) ? job.hub : anyRunning(job.hub);
    if (hub < 0) {
      return;
    }
    SoakHubApi.Answer a = api.get(hub, "GET /api/jobs/{id}", "/api/jobs/" + job.id);
    if (a.ok() && "done".equals(a.json().getString("state"))) {
      job.doneSeenAt = a.received();
      job.reference = a.json();
      job.referenceHub = hub;
      following.remove(job);
      judgeResults(job, a.json());
      crossRead(job, false);
    } else if (now.isAfter(giveUp)) {
      following.remove(job);
      violations.record(SoakViolations.RESULTS, now, job + " not done " + Duration.between(job.sent, now)
          .toSeconds() + " s after it started (timeout " + settings.jobTimeout().toSeconds() + " s); last read "
          + "through hub " + hub + ": " + a.summary());
    }
  }

  private int anyRunning(int except) {
    for (int h : hubs) {
      if (h != except && timeline.runningNow(h)) {
        return h;
      }
    }
    return -1;
  }

  /** (c): one result per session alive for the whole job, ok unless it died; done means nothing pending. */
  private void judgeResults(SoakJob job, JsonObject view) {
    Instant at = job.doneSeenAt;
    List<String> targets = SoakJob.targets(view);
    Map<String, String> states = SoakJob.states(view);
    Map<String, JsonObject> results = SoakJob.results(view);
    int pending = view.getJsonObject("counts", new JsonObject()).getInteger("pending", 0);
    String faults = timeline.faultsDuring(job.sent, at);
    String context = " (hub faults during the job: " + (faults.isEmpty() ? "none" : faults) + ")";
    if (pending > 0 || results.size() < targets.size()) {
      violations.record(SoakViolations.RESULTS, at, job + " reads done with " + pending + " pending and "
          + results.size() + " results for " + targets.size() + " targets" + context);
    }
    Map<String, Integer> seen = new HashMap<>();
    targets.forEach(t -> seen.merge(t, 1, Integer::sum));
    seen.forEach((address, n) -> {
      if (n > 1) {
        violations.record(SoakViolations.RESULTS, at, job + " targets " + address + " " + n + " times");
      }
    });
    states.forEach((address, state) -> {
      if (state.contains("+")) {
        violations.record(SoakViolations.RESULTS, at, job + " has several results for " + address + ": " + state);
      }
    });
    List<String> notTargets = new ArrayList<>();
    List<String> notOk = new ArrayList<>();
    List<SoakTimeline.Instance> alive = timeline.establishedThroughout(job.sent, at, settings.tolerance());
    for (SoakTimeline.Instance i : alive) {
      JsonObject r = results.get(i.address);
      if (!seen.containsKey(i.address)) {
        notTargets.add(i.toString());
      } else if (r != null && !"ok".equals(r.getString("state"))) {
        if (!faults.isEmpty() && saysOutcomeUnknown(r)) {
          synchronized (this) {
            unknownOutcomes++;
          }
          continue;
        }
        notOk.add(i + " " + r.getString("state") + " (" + r.getString("message") + ", ran_by "
            + r.getString("ran_by") + ")");
      }
    }
    synchronized (this) {
      resultsChecked += results.size();
    }
    if (!notTargets.isEmpty()) {
      violations.record(SoakViolations.RESULTS, at, job + " missed " + notTargets.size() + " of " + alive.size()
          + " sessions alive all along (not targets): " + first(notTargets) + context);
    }
    if (!notOk.isEmpty()) {
      violations.record(SoakViolations.RESULTS, at, job + ": " + notOk.size() + " sessions alive all along did "
          + "not end ok: " + first(notOk) + context);
    }
  }

  /**
   * (e): the job read through every other running hub equals the reference. Right after the job is first read
   * done, another hub may still read it running with a subset of the same results (results reach the map a
   * write's time after the coordinator has them): such a read is retried, every 2 s for up to 6 s, and is a
   * violation only if it still lags or if it ever conflicts. At the end of the run nothing may lag.
   */
  private void crossRead(SoakJob job, boolean everyHub) {
    for (int hub : hubs) {
      if ((!everyHub && hub == job.referenceHub) || !timeline.runningNow(hub)) {
        continue;
      }
      for (int attempt = 0; ; attempt++) {
        SoakHubApi.Answer a = api.get(hub, "GET /api/jobs/{id}", "/api/jobs/" + job.id);
        if (!timeline.runningThroughout(hub, a.sent(), a.received()) || a.status() == 0) {
          break;  // stopped while asked, or no answer (judged by the latency invariant)
        }
        if (attempt == 0) {
          synchronized (this) {
            crossReads++;
          }
        }
        boolean excused = timeline.recovering(hub, a.sent(), settings.tolerance())
            || timeline.recovering(job.hub, a.sent(), settings.tolerance());
        // what a cut-off coordinator held alone (the record, or its last state) went with it if it was killed
        // before it merged back: such a read is counted, not judged
        java.util.Optional<String> lost = timeline.lostWithCutOffCoordinator(job.hub, job.sent, job.doneSeenAt);
        if (lost.isPresent() && (a.status() == 404 || (a.ok() && !SoakJob.difference(job.reference, a.json())
            .isEmpty()))) {
          synchronized (this) {
            lostWithCoordinator(job, lost.get() + "; read through hub " + hub + ": " + a.summary());
          }
          break;
        }
        if (!a.ok()) {
          if (!(excused && (a.status() == 404 || a.status() == 503))) {
            violations.record(SoakViolations.SAME_JOB, a.sent(), job + " through "
                + timeline.describe(hub, a.sent()) + ": " + a.summary() + "; done through hub " + job.referenceHub
                + " at " + job.doneSeenAt);
          }
          break;
        }
        if (excused && ("unknown".equals(a.json().getString("state"))
            || SoakJob.unsureWhereTheyDiffer(a.json(), job.reference))) {
          synchronized (this) {
            unsureReads++;
          }
          break;  // a hub that cannot know says so ("unknown"), and the other side's answer does not contradict it
        }
        String diff = SoakJob.difference(job.reference, a.json());
        if (diff.isEmpty()) {
          break;
        }
        if (!everyHub && attempt < 3 && SoakJob.lagsBehind(a.json(), job.reference)) {
          if (attempt == 0) {
            synchronized (this) {
              laggingReads++;
            }
          }
          FaultScheduler.pause(Duration.ofSeconds(2));
          continue;
        }
        violations.record(SoakViolations.SAME_JOB, a.sent(), job + " reads differently through "
            + timeline.describe(hub, a.sent()) + " than through hub " + job.referenceHub + " at " + job.doneSeenAt
            + (attempt > 0 ? " (still, " + attempt + " re-reads 2 s apart)" : "") + ": " + diff);
        break;
      }
    }
  }

  /** The end-of-run reading of every job through every hub (all of them running and joined again by then). */
  void recheckEverywhere() {
    for (SoakJob job : jobs()) {
      if (job.reference != null) {
        crossRead(job, true);
      }
    }
  }

  private static String first(List<String> items) {
    return String.join(", ", items.subList(0, Math.min(8, items.size()))) + (items.size() > 8 ? ", …" : "");
  }

  @Override
  public void close() {
    starting = false;
    starter.shutdownNow();
    poller.shutdownNow();
    reads.shutdownNow();
  }
}
