package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.SettableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The soak's excuses, exactly bounded: a job gone from every hub (its cut-off coordinator died before it merged
 * back), and a hub's "not ready" while it recovers from its fault or from another's that held its recovery.
 */
class SoakTimelineTest {

  private static final Instant T0 = Instant.parse("2026-12-05T15:30:00Z");

  private final SettableClock clock = new SettableClock(T0);
  private final SoakTimeline timeline = new SoakTimeline(clock, 1, 2, 3);

  /** Hub 3 cut off from 10 s to 30 s, then killed at 40 s and back at 50 s. */
  private SoakTimeline.Comeback cutThenKilled() {
    clock.set(T0.plusSeconds(10));
    timeline.open(3, SoakTimeline.HubFault.ISOLATED);
    clock.set(T0.plusSeconds(30));
    timeline.close(3, SoakTimeline.HubFault.ISOLATED, "heal", clock.instant());
    SoakTimeline.Comeback heal = timeline.pendingComebacks(3).get(0);
    clock.set(T0.plusSeconds(40));
    timeline.open(3, SoakTimeline.HubFault.DOWN);
    clock.set(T0.plusSeconds(50));
    timeline.close(3, SoakTimeline.HubFault.DOWN, "restart", clock.instant());
    return heal;
  }

  private static final java.time.Duration GRACE = java.time.Duration.ofSeconds(21);

  /** Hub {@code hub} has {@code fault} from {@code from} s to {@code to} s after T0. */
  private void fault(int hub, SoakTimeline.HubFault fault, int from, int to) {
    clock.set(T0.plusSeconds(from));
    timeline.open(hub, fault);
    clock.set(T0.plusSeconds(to));
    timeline.close(hub, fault, "back", T0.plusSeconds(from));
  }

  @Test
  void aRecoveryLastsTheGraceAfterItsFaultAndLongerWhileAnotherHubsFaultHoldsIt() {
    fault(3, SoakTimeline.HubFault.FROZEN, 10, 30);
    assertTrue(timeline.recovering(3, T0.plusSeconds(50), GRACE));
    assertFalse(timeline.recovering(3, T0.plusSeconds(52), GRACE), "no other fault: 21 s after its own");
    assertFalse(timeline.recovering(1, T0.plusSeconds(40), GRACE), "another hub's own fault excuses no one");

    fault(2, SoakTimeline.HubFault.ISOLATED, 35, 60);
    assertTrue(timeline.recovering(3, T0.plusSeconds(75), GRACE), "hub 2 cut off while hub 3 merged back");
    assertTrue(timeline.heldByAnother(3, T0.plusSeconds(75), GRACE));
    assertFalse(timeline.heldByAnother(3, T0.plusSeconds(50), GRACE), "within its own tolerance");
    assertFalse(timeline.recovering(3, T0.plusSeconds(82), GRACE), "21 s after that fault too, no longer");
  }

  @Test
  void aFaultAfterTheHubWasSeenBackWithOneViewDoesNotExtendItsRecovery() {
    fault(3, SoakTimeline.HubFault.FROZEN, 10, 30);
    timeline.rejoined(timeline.pendingComebacks(3).get(0), T0.plusSeconds(33));
    fault(2, SoakTimeline.HubFault.FROZEN, 35, 60);
    assertFalse(timeline.recovering(3, T0.plusSeconds(70), GRACE), "back with one view at 33 s: judged again");
  }

  @Test
  void aJobRunWhileCutOffIsExcusedIfItsHubDiedBeforeItWasInOneClusterAgain() {
    cutThenKilled();
    String why = timeline.lostWithCutOffCoordinator(3, T0.plusSeconds(20), T0.plusSeconds(25)).orElseThrow();
    assertTrue(why.contains("10000 ms after the heal"), why);
  }

  @Test
  void soIsOneRunAfterTheHealWhileItsHubHadNotMergedBack() {
    cutThenKilled();
    assertTrue(timeline.lostWithCutOffCoordinator(3, T0.plusSeconds(32), T0.plusSeconds(33)).isPresent());
    assertEquals(java.util.Optional.empty(), timeline.lostWithCutOffCoordinator(3, T0.plusSeconds(52),
        T0.plusSeconds(53)), "after the kill: the restarted hub joined like any new member");
  }

  @Test
  void notOnceItsHubWasSeenInOneClusterBeforeTheKill() {
    SoakTimeline.Comeback heal = cutThenKilled();
    timeline.clustered(heal, T0.plusSeconds(33));
    assertEquals(java.util.Optional.empty(),
        timeline.lostWithCutOffCoordinator(3, T0.plusSeconds(20), T0.plusSeconds(25)));
  }

  @Test
  void notForAJobOutsideTheCutOrCoordinatedByAnotherHub() {
    cutThenKilled();
    assertEquals(java.util.Optional.empty(), timeline.lostWithCutOffCoordinator(3, T0.plusSeconds(2),
        T0.plusSeconds(8)));
    assertEquals(java.util.Optional.empty(), timeline.lostWithCutOffCoordinator(1, T0.plusSeconds(20),
        T0.plusSeconds(25)));
  }

  @Test
  void notIfTheCutHubWasNeverKilled() {
    clock.set(T0.plusSeconds(10));
    timeline.open(3, SoakTimeline.HubFault.ISOLATED);
    clock.set(T0.plusSeconds(30));
    timeline.close(3, SoakTimeline.HubFault.ISOLATED, "heal", clock.instant());
    assertEquals(java.util.Optional.empty(), timeline.lostWithCutOffCoordinator(3, T0.plusSeconds(20),
        T0.plusSeconds(25)));
  }
}
