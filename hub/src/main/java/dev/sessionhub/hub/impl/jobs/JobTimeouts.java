package dev.sessionhub.hub.impl.jobs;

import java.time.Duration;

/** The one rule for a job's per-target timeout, however it arrives (REST JSON or XML-RPC): seconds, 0 < t ≤ 1 h. */
public final class JobTimeouts {

  public static final Duration DEFAULT = Duration.ofSeconds(30);
  public static final Duration MAX = Duration.ofHours(1);

  private JobTimeouts() {
  }

  /**
   * {@link #DEFAULT} for null, else the number of seconds given.
   *
   * @throws IllegalArgumentException "must be a number of seconds between 0 and 3600"
   */
  public static Duration ofSeconds(Object value) {
    if (value == null) {
      return DEFAULT;
    }
    if (!(value instanceof Number n) || n.doubleValue() <= 0 || n.doubleValue() > MAX.toSeconds()) {
      throw new IllegalArgumentException("must be a number of seconds between 0 and " + MAX.toSeconds());
    }
    return Duration.ofMillis((long) (n.doubleValue() * 1000));
  }
}
