package dev.sessionhub.hub.impl.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that this process was not running for a while (SIGSTOP, a long GC or VM pause, a machine starved of
 * CPU): a daemon thread ticks every {@link #TICK}; a gap of {@link #threshold} or more between ticks is a pause.
 *
 * <p>Why: a hub that was paused may have been removed from the cluster meanwhile, its sessions re-owned, its
 * pending work given up by the coordinator and its event stream interrupted. Whatever it held from before the
 * pause is stale: work queued before it must not be sent ({@link #pausedSince}), and the inventory view must be
 * re-read ({@link #onPause}). The monotonic clock keeps running while a process is stopped, which is what makes
 * the gap visible.
 */
public final class PauseDetector implements AutoCloseable {

  /** How often the detector's thread wakes up. */
  static final Duration TICK = Duration.ofMillis(100);
  /**
   * The default gap that counts as a pause: below Hazelcast's 8 s heartbeat timeout (a shorter pause cannot have
   * got this member removed, so nothing it held was given up), far above a hub's GC pauses, and above the stalls
   * of a machine starved of CPU (2 s gaps were seen with a load of 36 on 2 cores: work dropped for a false pause
   * is lost work).
   */
  public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(PauseDetector.class);

  private final long thresholdNanos;
  private final List<Consumer<Duration>> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile long lastTick = System.nanoTime();
  private volatile Instant lastPauseEnded = Instant.MIN;
  private volatile boolean running = true;
  private final Clock clock;

  public PauseDetector(Duration threshold, Clock clock) {
    this.thresholdNanos = threshold.toNanos();
    this.clock = clock;
    this.thread = new Thread(this::tickUntilClosed, "sessionhub-pause-detector");
    thread.setDaemon(true);
    thread.start();
  }

  /** Calls {@code listener} with the length of every pause noticed from now on (on the detector's thread). */
  public void onPause(Consumer<Duration> listener) {
    listeners.add(listener);
  }

  /**
   * True if this process was paused at any time after {@code since} (by the wall clock, so another hub's
   * reading of it can be used), or may be in the middle of noticing one (the last tick is older than the
   * threshold).
   */
  public boolean pausedSince(Instant since) {
    return lastPauseEnded.isAfter(since) || noticing();
  }

  /**
   * True while a pause has ended but this detector's thread has not yet ticked after it (its last tick is older
   * than the threshold): a request the process serves in that moment must already be treated as after a pause.
   * The pause's listeners run before this turns false.
   */
  public boolean noticing() {
    return System.nanoTime() - lastTick >= thresholdNanos;
  }

  private void tickUntilClosed() {
    while (running) {
      try {
        Thread.sleep(TICK.toMillis()); // a ticking clock, not a wait for other work
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      long gap = now - lastTick;
      if (gap >= thresholdNanos) {
        lastPauseEnded = clock.instant();
        Duration paused = Duration.ofNanos(gap);
        LOG.warn("this hub was paused for {} ms: work queued before is dropped and the inventory re-read",
            paused.toMillis());
        for (Consumer<Duration> listener : listeners) {
          try {
            listener.accept(paused);
          } catch (RuntimeException e) {
            LOG.warn("pause listener failed", e);
          }
        }
      }
      lastTick = now;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
