package dev.sessionhub.agent.session;

import java.util.Arrays;

/**
 * The durations of the last frames' scene evaluation, in nanoseconds, kept in a ring so percentiles can be read
 * at any time. Written by the main thread, read by others through {@link #snapshot()}.
 */
public final class FrameStats {

  private final long[] ring;
  private long frames;

  public FrameStats(int capacity) {
    this.ring = new long[capacity];
  }

  synchronized void record(long nanos) {
    ring[(int) (frames % ring.length)] = nanos;
    frames++;
  }

  /** Forgets everything recorded so far (a benchmark's phase boundary). */
  public synchronized void reset() {
    frames = 0;
  }

  public synchronized Snapshot snapshot() {
    int n = (int) Math.min(frames, ring.length);
    long[] sorted = Arrays.copyOf(ring, n);
    Arrays.sort(sorted);
    return new Snapshot(frames, percentile(sorted, 0.50), percentile(sorted, 0.99),
        n == 0 ? 0 : sorted[n - 1]);
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  /** Frames counted since the last reset, and frame-evaluation percentiles over the recent window, in ns. */
  public record Snapshot(long frames, long p50Nanos, long p99Nanos, long maxNanos) {
  }
}
