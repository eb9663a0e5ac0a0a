package dev.sessionhub.hub.impl.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.SettableClock;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.selector.Selector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The view's one ordering rule, event by event in the orders Hazelcast can deliver them around migrations,
 * merges and pauses: nothing older replaces something newer, no stale removal takes out a renewed record, and a
 * snapshot only removes what was not renewed while it was read.
 */
class InventoryViewTest {

  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(20);

  private final InventoryView view = new InventoryView(Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC));

  @Test
  void aReadCountsAsWholeOnlyIfNoMergeBeganOrEndedWhileItRan() {
    InventoryView view = new InventoryView(Clock.fixed(T0, ZoneOffset.UTC));
    long quiet = view.mergeMark();
    assertTrue(view.noMergeSince(quiet), "no merge: the read stands");
    long before = view.mergeMark();
    view.merging(true);
    assertFalse(view.noMergeSince(before), "a merge began while it read");
    long during = view.mergeMark();
    view.merging(false);
    assertFalse(view.noMergeSince(during), "begun during a merge (the member's data cleared)");
    assertFalse(view.noMergeSince(before), "a merge began and ended while it read");
    assertTrue(view.noMergeSince(view.mergeMark()), "after the merge: reads stand again");
  }

  @Test
  void aMergeStopsListingsOnlyFromAViewThatIsNotReadyAndAlwaysSaysItIsMerging() {
    view.reconcile(List.of(seen("h:8000", "s1", T0)), T0, true);
    assertNull(view.cannotList());
    view.merging(true);
    assertNull(view.cannotList(), "a ready view was current until the split: it lists through the merge");
    assertTrue(view.unsureOfClusterData().contains("merging"), "jobs and results: the member's copy is cleared");
    view.invalidate();
    assertTrue(view.cannotList().contains("merging"), "a view that may have missed events waits for a whole read");
    view.merging(false);
    assertNull(view.unsureOfClusterData());

    view.reconcile(List.of(seen("h:8000", "s1", T0)), T0, true);
    view.waitForPeers(3, T0.plusSeconds(5), T0.plusSeconds(45));
    view.merging(true);
    assertTrue(view.cannotList().contains("paused"), "a paused hub's view is behind: merging or not, no listing");
  }

  @Test
  void afterAPauseTheViewWaitsItsMinimumEvenWhileTheStaleMemberListStillCountsEveryPeer() {
    view.reconcile(List.of(seen("h:8000", "s1", T0)), T0, true);
    assertTrue(view.ready());
    view.waitForPeers(3, T0.plusSeconds(5), T0.plusSeconds(45));
    assertFalse(view.ready(), "a paused hub does not answer from its view");
    assertFalse(view.peersBack(3, T0.plusSeconds(1)), "right after the pause the old member list counts 3");
    assertFalse(view.peersBack(2, T0.plusSeconds(6)), "the cluster removed this member: it waits for the merge");
    assertTrue(view.peersBack(3, T0.plusSeconds(9)), "merged back, past the minimum");
    assertNull(view.unsureOfClusterData(), "no longer waiting for peers");

    view.waitForPeers(3, T0.plusSeconds(5), T0.plusSeconds(45));
    assertTrue(view.peersBack(1, T0.plusSeconds(46)), "peers that never come back end the wait at its bound");
  }

  @Test
  void afterAPauseAMergeBackEndsTheWaitEvenIfAPeerWentMeanwhile() {
    view.waitForPeers(3, T0.plusSeconds(5), T0.plusSeconds(45));
    assertFalse(view.peersBack(2, T0.plusSeconds(8)), "removed, alone or with one peer: not back yet");
    view.merged();
    assertFalse(view.peersBack(2, T0.plusSeconds(3)), "merged, but the minimum has not passed");
    assertTrue(view.peersBack(2, T0.plusSeconds(9)), "merged into a cluster of two (the third hub was cut off "
        + "meanwhile): back, not 36 s more of 'not ready'");
    assertNull(view.unsureOfClusterData(), "no longer waiting for peers");
  }

  @Test
  void afterAPauseANewMemberIdAloneDoesNotEndTheWait() {
    view.waitForPeers(3, T0.plusSeconds(5), T0.plusSeconds(45));
    assertFalse(view.peersBack(2, T0.plusSeconds(8)), "a new id comes while the merge has cleared the data");
    view.merged();
    assertTrue(view.peersBack(2, T0.plusSeconds(9)));
  }

  @Test
  void anOlderRecordNeverReplacesANewerOne() {
    assertTrue(view.offer(seen("h:8000", "s1", T0.plusSeconds(4))));
    assertFalse(view.offer(seen("h:8000", "s1", T0.plusSeconds(1))), "a replayed older update is refused");
    assertEquals(T0.plusSeconds(4), view.get("h:8000").lastSeen());
    assertTrue(view.offer(seen("h:8000", "s1", T0.plusSeconds(4))), "the same record again is kept (idempotent)");
  }

  @Test
  void aStaleExpiryDoesNotRemoveARenewedRecord() {
    view.offer(seen("h:8000", "s1", T0.plusSeconds(4)));
    view.retire("h:8000", seen("h:8000", "s1", T0.plusSeconds(1)));
    assertNotNull(view.get("h:8000"), "expiry of the entry as it was before its renewal");
    view.retire("h:8000", seen("h:8000", "s1", T0.plusSeconds(4)));
    assertNull(view.get("h:8000"), "expiry of the entry the view holds");
  }

  @Test
  void aRemovalWithoutItsValueRemoves() {
    view.offer(seen("h:8000", "s1", T0.plusSeconds(4)));
    view.retire("h:8000", null);
    assertNull(view.get("h:8000"));
  }

  @Test
  void aRestartedSessionReplacesItsPredecessorAndItsLateRemovalKeepsIt() {
    view.offer(seen("h:8000", "old", T0.plusSeconds(1)));
    view.offer(seen("h:8000", "new", T0.plusSeconds(3)));
    view.retire("h:8000", seen("h:8000", "old", T0.plusSeconds(1)));
    assertEquals("new", view.get("h:8000").info().sessionId());
  }

  @Test
  void aSnapshotAddsAndRemovesButKeepsWhatArrivedWhileItWasRead() {
    SettableClock now = new SettableClock(T0.plusSeconds(1));
    InventoryView read = new InventoryView(now);
    read.offer(seen("h:8000", "gone", T0.plusSeconds(1)));
    read.offer(seen("h:8002", "older-here", T0.plusSeconds(1)));
    now.set(T0.plusSeconds(4));
    // written (last_seen) before the read began, but it reached this view after: the read could not see it
    read.offer(seen("h:8001", "arrived-during-read", T0.plusSeconds(2)));
    assertFalse(read.ready());
    read.reconcile(List.of(seen("h:8003", "missed", T0)), T0.plusSeconds(3), false);
    assertNotNull(read.get("h:8000"), "a read while partitions migrated removes nothing");
    assertNotNull(read.get("h:8003"), "but adds what it found");
    assertFalse(read.ready(), "and does not make the view ready");
    read.reconcile(List.of(seen("h:8002", "older-here", T0.plusSeconds(2)), seen("h:8003", "missed", T0)),
        T0.plusSeconds(3), true);
    assertTrue(read.ready());
    assertNull(read.get("h:8000"), "not in the map and held since before the read began");
    assertNotNull(read.get("h:8001"), "arrived after the read began: the snapshot could not have it");
    assertEquals(T0.plusSeconds(2), read.get("h:8002").lastSeen(), "the newer record from the map");
    assertNotNull(read.get("h:8003"), "an entry whose event was missed");
    read.invalidate();
    assertFalse(read.ready(), "invalid until the next snapshot");
  }

  @Test
  void aLapsedRecordIsNotAnsweredButComesBackWithItsRenewal() {
    InventoryView late = new InventoryView(Clock.fixed(T0.plus(LEASE).plusSeconds(2), ZoneOffset.UTC));
    late.offer(seen("h:8000", "s1", T0));
    assertNull(late.get("h:8000"));
    assertTrue(late.find(Selector.all()).isEmpty());
    late.offer(seen("h:8000", "s1", T0.plusSeconds(10)));
    assertEquals(1, late.find(Selector.all()).size());
  }

  private static SessionRecord seen(String address, String sessionId, Instant at) {
    SessionInfo info = SessionInfo.fromStruct(Map.of("exe", "blender", "session_id", sessionId, "pid", 1,
        "port", 8000));
    return new SessionRecord(address, "h", 8000, "http://h:8000/", info, Source.SCAN, "hub-a", at, at, LEASE);
  }
}
