package dev.sessionhub.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.Poll;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A program's parent, from --parent-pid or SESSIONHUB_PARENT_PID, and the watch that notices it has ended. */
class ParentWatchTest {

  @Test
  void theWatchRunsOnceTheRealProcessHasEndedAndNotBefore() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      CountDownLatch ended = new CountDownLatch(1);
      ParentWatch.start(sleeper.toHandle(), Duration.ofMillis(50), ended::countDown);
      assertFalse(ended.await(300, TimeUnit.MILLISECONDS), "ran while the process was alive");
      sleeper.destroyForcibly().waitFor();
      Poll.until(Duration.ofSeconds(5), "the watch noticed the end", () -> ended.getCount() == 0);
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void theFlagWinsOverTheEnvironmentAndNeitherMeansNoWatch() {
    long me = ProcessHandle.current().pid();
    assertTrue(ParentOptions.resolve(null, Map.of()).isEmpty());
    assertTrue(ParentOptions.resolve(null, Map.of(ParentOptions.ENV, " ")).isEmpty());
    assertEquals(me, ParentOptions.resolve(null, Map.of(ParentOptions.ENV, String.valueOf(me))).orElseThrow().pid());
    assertEquals(me, ParentOptions.resolve(me, Map.of(ParentOptions.ENV, "not-a-pid")).orElseThrow().pid());
  }

  @Test
  void aBadOrEndedParentIsAClearErrorBeforeStarting() throws Exception {
    CliException bad = assertThrows(CliException.class,
        () -> ParentOptions.resolve(null, Map.of(ParentOptions.ENV, "12x")));
    assertEquals(CliException.USAGE, bad.exitCode());
    assertEquals("SESSIONHUB_PARENT_PID must be a process id, not '12x'", bad.getMessage());

    assertEquals(CliException.USAGE, assertThrows(CliException.class, () -> ParentOptions.resolve(0L, Map.of()))
        .exitCode());

    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    CliException ended = assertThrows(CliException.class, () -> ParentOptions.resolve(gone.pid(), Map.of()));
    assertEquals(CliException.FAILED, ended.exitCode());
    assertEquals("process " + gone.pid() + " (--parent-pid) has already ended; not starting", ended.getMessage());
  }
}
