package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invariant (g) read from a hub's log: a blocked event loop is a violation, unless that hub had just been frozen. */
class BlockedThreadLogTest {

  private static final Instant START = Instant.parse("2026-12-05T03:10:00Z");

  private final SettableClock now = new SettableClock(START);
  private final SoakTimeline timeline = new SoakTimeline(now, 1, 2);

  @Test
  void aBlockedEventLoopIsAViolationWithItsFrameAndOneEpisodeForItsRepeatedWarnings() {
    SoakViolations violations = new SoakViolations();
    BlockedThreadLog log = new BlockedThreadLog(timeline, violations, START, ZoneOffset.UTC);
    log.judge(1, List.of(
        "03:12:48.041 WARN  i.v.c.i.BlockedThreadChecker - Thread vert.x-eventloop-thread-0 has been blocked for "
            + "2729 ms, time limit is 2000 ms",
        "03:12:52.055 WARN  i.v.c.i.BlockedThreadChecker - Thread vert.x-eventloop-thread-0 has been blocked for "
            + "6755 ms, time limit is 2000 ms",
        "io.vertx.core.VertxException: Thread blocked",
        "\tat java.base@17.0.15/java.lang.Thread.sleep(Native Method)",
        "\tat app//com.hazelcast.map.impl.proxy.MapProxyImpl.setAllAsync(MapProxyImpl.java:520)",
        "\tat app//dev.sessionhub.hub.impl.jobs.ResultBatches.store(ResultBatches.java:86)",
        "03:12:53.146 INFO  something else"));
    assertEquals(2, log.warnings());
    assertEquals(1, violations.count(SoakViolations.EVENT_LOOP), violations.describe());
    assertTrue(violations.describe().contains("hub 1: vert.x-eventloop-thread-0 blocked for 2729 ms"),
        violations.describe());
  }

  @Test
  void theWholeStopReportedAfterAFreezeOfThatHubIsExcusedButNotOnAnotherHub() {
    now.set(Instant.parse("2026-12-05T03:12:36Z"));
    timeline.open(2, SoakTimeline.HubFault.FROZEN);
    now.set(Instant.parse("2026-12-05T03:12:55Z"));
    timeline.close(2, SoakTimeline.HubFault.FROZEN, null, null);
    String warning = "03:12:56.100 WARN  i.v.c.i.BlockedThreadChecker - Thread vert.x-eventloop-thread-1 has been "
        + "blocked for 19000 ms, time limit is 2000 ms";
    SoakViolations violations = new SoakViolations();
    BlockedThreadLog log = new BlockedThreadLog(timeline, violations, START, ZoneOffset.UTC);
    log.judge(2, List.of(warning));
    log.judge(1, List.of(warning));
    assertEquals(2, log.warnings());
    assertEquals(1, log.excused());
    assertEquals(1, violations.count(SoakViolations.EVENT_LOOP), "hub 1 was not frozen: " + violations.describe());
  }
}
