package dev.sessionhub.hub.impl.jobs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A job this hub coordinates, while it runs. The results of the targets this hub calls itself are decided here,
 * in memory, first result per target wins, and only the winner is written to the store; so the store and this
 * copy agree, and a caller waiting for a job whose targets are all local is answered the moment the last result
 * is known instead of after a write and a read of the cluster's maps.
 */
final class RunningJob implements Predicate<TargetResult> {

  private volatile Job job;
  private volatile Runnable nextWave;
  private volatile long nextWaveTimer = -1;
  private final Map<String, TargetResult> results = new ConcurrentHashMap<>();
  private final Promise<Void> allKnown = Promise.promise();
  private final Promise<Void> finished = Promise.promise();
  private volatile boolean allLocal = true;
  private final java.util.Set<String> runHere = ConcurrentHashMap.newKeySet();

  RunningJob(Job job) {
    this.job = job;
    if (job.targets().isEmpty()) {
      allKnown.tryComplete();
    }
  }

  Job job() {
    return job;
  }

  /** Records that a wave was sent (the job record then shows it). */
  synchronized void addWave(Job.Wave wave) {
    job = job.withWave(wave);
  }

  /** The next wave of a rolling job, waiting for its batch wait; a cancel starts it at once. */
  synchronized void waitingWave(Runnable wave) {
    nextWave = wave;
  }

  /** The timer of the batch wait, cancelled if a cancel takes the wave first. */
  synchronized void waitTimer(long timer) {
    if (nextWave != null) {
      nextWaveTimer = timer;
    }
  }

  /** Takes the waiting wave (and its timer), if any, so it runs once. */
  synchronized Runnable takeWaitingWave(java.util.function.LongConsumer cancelTimer) {
    Runnable wave = nextWave;
    nextWave = null;
    if (wave != null && nextWaveTimer >= 0) {
      cancelTimer.accept(nextWaveTimer);
    }
    nextWaveTimer = -1;
    return wave;
  }

  /** These targets are run by this hub: their one end is decided here, in memory ({@link #test}). */
  void runsHere(java.util.Collection<String> addresses) {
    runHere.addAll(addresses);
  }

  boolean isRunHere(String address) {
    return runHere.contains(address);
  }

  /** Some targets run on other hubs: their results are only in the store. */
  void hasRemoteTargets() {
    allLocal = false;
  }

  /**
   * Offers a result; true if it is the target's first known here. For a target run here this decides its end
   * (the caller then stores it); for another hub's target it only records an end the store already decided.
   */
  @Override
  public boolean test(TargetResult result) {
    if (results.putIfAbsent(result.address(), result) != null) {
      return false;
    }
    if (results.size() == job.targets().size()) {
      allKnown.tryComplete();
    }
    return true;
  }

  /**
   * The targets whose end only the store can tell: run by other hubs and not yet known here. Every target run
   * here is decided here first (and only then written, batched or not), so the store never knows more of those.
   */
  java.util.List<String> decidedElsewhere() {
    return job.targets().stream().filter(a -> !runHere.contains(a) && !results.containsKey(a)).toList();
  }

  boolean isLocallyKnown(String address) {
    return results.containsKey(address);
  }

  /** Every target's end is known here (stored or not). */
  boolean allKnownNow() {
    return allKnown.future().isComplete();
  }

  /** Completes when every result has been written to the store (and the job record too). */
  Promise<Void> finished() {
    return finished;
  }

  /** What this hub knows now (the job record may not be stored yet). */
  JobView snapshot(Instant now) {
    return JobView.of(job, results, now);
  }

  /**
   * What is stored ({@code stored}, by address) with what this hub already knows laid over it: results decided
   * here are written a few milliseconds after they are known ({@link ResultWrites}).
   */
  JobView overlay(Map<String, TargetResult> stored, Instant now) {
    Map<String, TargetResult> all = new java.util.HashMap<>(stored);
    all.putAll(results);
    return JobView.of(job, all, now);
  }

  /** The job once every target has ended: from memory when all ran here, else null (read the store). */
  Future<JobView> localView(Instant now) {
    if (!allLocal) {
      return null;
    }
    return allKnown.future().map(v -> JobView.of(job, results, now));
  }
}
