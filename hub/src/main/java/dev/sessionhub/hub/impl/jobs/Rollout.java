package dev.sessionhub.hub.impl.jobs;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How a broadcast rolls out: in waves of {@code size} targets (or {@code percent} % of them, rounded up), with
 * {@code batchWait} between waves, stopping once {@code maxFailures} targets did not end {@code ok} (0: never stops):
 * the targets of later waves then end {@code skipped}, never sent. {@link #ALL_AT_ONCE} is one wave, no stop.
 *
 * @param size        targets per wave, or 0 when {@code percent} is used (or for all at once)
 * @param percent     percent of the targets per wave, 1 to 100, or 0 when {@code size} is used
 */
public record Rollout(int size, int percent, Duration batchWait, int maxFailures) {

  /** The largest wave size, failure count or wait accepted. */
  public static final int MAX_COUNT = 1_000_000;
  public static final Duration MAX_WAIT = Duration.ofHours(1);
  /** Every target at once, never stopping: what a broadcast does without rollout options. */
  public static final Rollout ALL_AT_ONCE = new Rollout(0, 0, Duration.ZERO, 0);

  public Rollout {
    if (size < 0 || size > MAX_COUNT) {
      throw new IllegalArgumentException("batch must be 1 to " + MAX_COUNT + " sessions, or a percentage");
    }
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("batch percentage must be 1% to 100%");
    }
    if (size > 0 && percent > 0) {
      throw new IllegalArgumentException("batch is either a count or a percentage, not both");
    }
    if (batchWait == null || batchWait.isNegative() || batchWait.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException("batch wait must be 0 to " + MAX_WAIT.toMinutes() + " minutes");
    }
    if (maxFailures < 0 || maxFailures > MAX_COUNT) {
      throw new IllegalArgumentException("max failures must be 0 (no limit) to " + MAX_COUNT);
    }
  }

  /**
   * Parses a batch as users write it: {@code "5"} sessions per wave or {@code "20%"} of them. Throws {@link
   * IllegalArgumentException} with a message for people.
   */
  public static Rollout of(String batch, Duration batchWait, int maxFailures) {
    String b = batch == null ? "" : batch.trim();
    if (b.isEmpty()) {
      return new Rollout(0, 0, batchWait, maxFailures);
    }
    try {
      if (b.endsWith("%")) {
        int p = Integer.parseInt(b.substring(0, b.length() - 1).trim());
        if (p < 1 || p > 100) {
          throw new IllegalArgumentException("batch percentage must be 1% to 100%, got " + b);
        }
        return new Rollout(0, p, batchWait, maxFailures);
      }
      int n = Integer.parseInt(b);
      if (n < 1) {
        throw new IllegalArgumentException("batch must be at least 1 session, got " + b);
      }
      return new Rollout(n, 0, batchWait, maxFailures);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("batch must be a number of sessions (5) or a percentage (20%), got '"
          + b + "'");
    }
  }

  public boolean rolling() {
    return size > 0 || percent > 0;
  }

  /** Targets per wave for a job of {@code targets} targets (at least 1). */
  public int waveSize(int targets) {
    if (size > 0) {
      return size;
    }
    if (percent > 0) {
      return Math.max(1, (int) Math.ceil(targets * percent / 100.0));
    }
    return Math.max(1, targets);
  }

  /** Whether {@code failures} targets not ending ok stop the rollout. */
  public boolean stopsAt(int failures) {
    return maxFailures > 0 && failures >= maxFailures;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (size > 0) {
      json.put("batch", String.valueOf(size));
    } else if (percent > 0) {
      json.put("batch", percent + "%");
    }
    return json.put("batch_wait_ms", batchWait.toMillis()).put("max_failures", maxFailures);
  }

  public static Rollout fromJson(JsonObject json) {
    return json == null ? ALL_AT_ONCE : of(json.getString("batch"), Duration.ofMillis(json.getLong("batch_wait_ms",
        0L)), json.getInteger("max_failures", 0));
  }

  /**
   * The rollout a request asks for, from its fields (REST body or XML-RPC struct): {@code batch} (a count, or a
   * string {@code "5"} or {@code "20%"}), {@code batch_wait} (seconds as a number, or a string {@code "500ms"},
   * {@code "2s"}, {@code "1m"}), {@code max_failures} (a count; 0 means no limit) and {@code fail_fast} (true
   * stops at the first failure). Wrong types and values throw {@link IllegalArgumentException} saying which.
   */
  public static Rollout fromRequest(java.util.Map<String, ?> fields) {
    Object batch = fields.get("batch");
    String batchText;
    if (batch == null) {
      batchText = "";
    } else if (batch instanceof Integer || batch instanceof Long) {
      long n = ((Number) batch).longValue();
      if (n < 1 || n > MAX_COUNT) {
        throw new IllegalArgumentException("'batch' must be 1 to " + MAX_COUNT + " sessions, got " + n);
      }
      batchText = String.valueOf(n);
    } else if (batch instanceof String text) {
      batchText = text;
    } else {
      throw new IllegalArgumentException("'batch' must be a number of sessions or a string like \"20%\"");
    }
    Duration wait = waitOf(fields.get("batch_wait"));
    Object failFast = fields.get("fail_fast");
    if (failFast != null && !(failFast instanceof Boolean)) {
      throw new IllegalArgumentException("'fail_fast' must be true or false");
    }
    Object max = fields.get("max_failures");
    int maxFailures;
    if (max == null) {
      maxFailures = Boolean.TRUE.equals(failFast) ? 1 : 0;
    } else if (max instanceof Integer || max instanceof Long) {
      long n = ((Number) max).longValue();
      if (n < 0 || n > MAX_COUNT) {
        throw new IllegalArgumentException("'max_failures' must be 0 (no limit) to " + MAX_COUNT + ", got " + n);
      }
      if (Boolean.TRUE.equals(failFast) && n != 1) {
        throw new IllegalArgumentException("'fail_fast' means 'max_failures' 1; give one or the other");
      }
      maxFailures = (int) n;
    } else {
      throw new IllegalArgumentException("'max_failures' must be a whole number");
    }
    if (batchText.isBlank() && (wait.compareTo(Duration.ZERO) > 0 || maxFailures > 0)) {
      throw new IllegalArgumentException("'batch_wait', 'max_failures' and 'fail_fast' need a 'batch'");
    }
    return of(batchText, wait, maxFailures);
  }

  private static Duration waitOf(Object value) {
    if (value == null) {
      return Duration.ZERO;
    }
    if (value instanceof Number n) {
      double seconds = n.doubleValue();
      if (!(seconds >= 0) || seconds > MAX_WAIT.toSeconds()) {
        throw new IllegalArgumentException("'batch_wait' must be 0 to " + MAX_WAIT.toSeconds() + " seconds");
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
    if (value instanceof String text) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,7})(ms|s|m)?").matcher(text.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("'batch_wait' must be like 500ms, 2s or 1m, got '" + text + "'");
      }
      long n = Long.parseLong(m.group(1));
      Duration d = "ms".equals(m.group(2)) ? Duration.ofMillis(n)
          : "m".equals(m.group(2)) ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
      if (d.compareTo(MAX_WAIT) > 0) {
        throw new IllegalArgumentException("'batch_wait' must be at most " + MAX_WAIT.toMinutes() + " minutes");
      }
      return d;
    }
    throw new IllegalArgumentException("'batch_wait' must be seconds (a number) or a string like \"2s\"");
  }
}
