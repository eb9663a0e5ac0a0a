package dev.sessionhub.hub.impl.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rollout options as callers write them: wave sizes, waits, failure limits, and every bad value refused. */
class RolloutTest {

  @Test
  void wavesFromACountOrAPercentage() {
    assertEquals(5, Rollout.fromRequest(Map.of("batch", 5)).waveSize(30));
    assertEquals(6, Rollout.fromRequest(Map.of("batch", "20%")).waveSize(30));
    assertEquals(1, Rollout.fromRequest(Map.of("batch", "1%")).waveSize(30), "rounded up to one session");
    assertEquals(30, Rollout.ALL_AT_ONCE.waveSize(30));
    assertFalse(Rollout.ALL_AT_ONCE.rolling());
    assertTrue(Rollout.fromRequest(Map.of("batch", "5")).rolling());
  }

  @Test
  void waitsAndFailureLimits() {
    Rollout r = Rollout.fromRequest(Map.of("batch", 5, "batch_wait", "1500ms", "max_failures", 2));
    assertEquals(Duration.ofMillis(1500), r.batchWait());
    assertFalse(r.stopsAt(1));
    assertTrue(r.stopsAt(2));
    assertEquals(Duration.ofSeconds(2), Rollout.fromRequest(Map.of("batch", 5, "batch_wait", 2)).batchWait());
    assertEquals(1, Rollout.fromRequest(Map.of("batch", 5, "fail_fast", true)).maxFailures());
    assertFalse(Rollout.fromRequest(Map.of("batch", 5)).stopsAt(1_000), "no limit unless asked");
    assertEquals(r, Rollout.fromJson(r.toJson()), "round trip through the job record");
  }

  @Test
  void badValuesAreRefusedWithTheirName() {
    for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(Map.of("batch", 0), Map.of("batch", -3),
        Map.of("batch", "0%"), Map.of("batch", "150%"), Map.of("batch", "five"), Map.of("batch", 3.5),
        Map.of("batch", 5, "batch_wait", -1), Map.of("batch", 5, "batch_wait", "2 days"),
        Map.of("batch", 5, "max_failures", -1), Map.of("batch", 5, "max_failures", 2, "fail_fast", true),
        Map.of("batch", 5, "fail_fast", "yes"), Map.of("max_failures", 3), Map.of("batch_wait", 2))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rollout.fromRequest(bad),
          bad::toString);
      assertTrue(e.getMessage().contains("batch") || e.getMessage().contains("max_failures")
          || e.getMessage().contains("fail_fast"), e.getMessage());
    }
  }
}
