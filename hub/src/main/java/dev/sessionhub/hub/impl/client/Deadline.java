package dev.sessionhub.hub.impl.client;

import java.time.Duration;

/**
 * The moment a call gives up, on the monotonic clock.
 *
 * <p>Why: one call has one total budget (queue wait, connect, request, response), and every blocking step takes
 * its own timeout from what is left, so no step can stretch the call beyond it. {@link System#nanoTime()} is
 * used, never wall-clock time, so clock adjustments cannot shorten or extend a call.
 */
final class Deadline {

  private final long endNanos;
  private final Duration timeout;

  private Deadline(long startNanos, Duration timeout) {
    this.endNanos = startNanos + timeout.toNanos();
    this.timeout = timeout;
  }

  static Deadline after(Duration timeout) {
    return new Deadline(System.nanoTime(), timeout);
  }

  /** The whole budget, for messages. */
  long timeoutMillis() {
    return timeout.toMillis();
  }

  long remainingMillis() {
    long left = endNanos - System.nanoTime();
    return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
  }

  boolean expired() {
    return System.nanoTime() - endNanos >= 0;
  }

  /** What is left as a socket timeout: at least 1 ms, since 0 would mean "wait forever". */
  int remainingSocketMillis() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, remainingMillis()));
  }
}
