package dev.sessionhub.hub.impl.inventory;

import dev.sessionhub.shared.selector.Selector;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This hub's decoded copy of the inventory, kept current by the map events every member receives, so that
 * selector queries run over plain records in memory instead of over thousands of JSON values in Hazelcast
 * (measured: 1-4 ms instead of 16-131 ms p99 at 10,000 sessions; ops/BENCHMARKS.md). Hazelcast stays the
 * truth: lookups by address read the map, and a record whose lease has lapsed is never returned even if its
 * expiry event was missed.
 *
 * <p>One rule decides what the copy holds, whatever order events arrive in (Hazelcast orders a key's events
 * only while its partition stays put; migrations, merges and a paused member reorder or replay them):
 * <ul>
 *   <li>a record replaces the one held only if it is not older: its {@code last_seen} is the same or later
 *       ({@link #offer});
 *   <li>a removal or expiry removes the record held only if that is not newer than the record the event
 *       removed ({@link #retire}); a stale expiry never removes a renewed entry;
 *   <li>a snapshot of the map ({@link #reconcile}) adds what is newer and, when no partition migrated while it
 *       was read, removes what the map no longer has, except records renewed after the snapshot began.
 * </ul>
 * While the copy may have missed events (after a merge of split clusters, after this process was paused) it is
 * {@linkplain #invalidate() not ready}, and the inventory answers from the map until a snapshot has been
 * reconciled.
 */
public final class InventoryView {

  private static final Logger LOG = LoggerFactory.getLogger(InventoryView.class);

  private final Map<String, Held> records = new ConcurrentHashMap<>();

  /** A record and when it reached this view (by this hub's clock: a record's own times are its writer's). */
  private record Held(SessionRecord record, Instant arrived) {
  }
  private final Clock clock;
  private volatile boolean ready;

  public InventoryView(Clock clock) {
    this.clock = clock;
  }

  /** Keeps {@code record} unless the view holds a newer one for its address; true if it was kept. */
  boolean offer(SessionRecord record) {
    boolean[] kept = {false};
    records.compute(record.address(), (address, held) -> {
      if (held == null || !record.lastSeen().isBefore(held.record().lastSeen())) {
        kept[0] = true;
        return new Held(record, clock.instant());
      }
      return held;
    });
    return kept[0];
  }

  /** Records whose entries expired before their lease ran out, by address, until the put-back arrives. */
  private final Map<String, Instant> putBacks = new ConcurrentHashMap<>();

  /** The map expired {@code kept}'s entry early and it is being put back: the view keeps it meanwhile. */
  void expectPutBack(SessionRecord kept) {
    putBacks.put(kept.address(), kept.lastSeen());
  }

  /** Whether {@code added} is an entry put back after an early expiry (see {@link #expectPutBack}): no new session. */
  boolean putBack(SessionRecord added) {
    Instant expected = putBacks.remove(added.address());
    return expected != null && expected.equals(added.lastSeen());
  }

  /**
   * The map no longer has {@code gone} (removed or expired): drops the record held for its address unless it
   * is newer than {@code gone}. With {@code gone} null (an event without its value) the record is dropped.
   */
  void retire(String address, SessionRecord gone) {
    records.computeIfPresent(address, (a, held) -> {
      if (gone != null && held.record().lastSeen().isAfter(gone.lastSeen())) {
        return held;
      }
      LOG.debug("view drops {} (last seen {}): the map no longer has it (removed record last seen {})", address,
          held.record().lastSeen(), gone == null ? "unknown" : gone.lastSeen());
      return null;
    });
  }

  /**
   * Brings the view in line with {@code snapshot}, a read of the map that began at {@code readFrom}: every record
   * in it is offered. Only a {@code complete} read (no partition migrated while it ran) also drops the records
   * absent from it, unless they reached this view at or after {@code readFrom} (a write the read could not see;
   * judged by arrival here, since a record's {@code last_seen} is set by its writer before the write lands),
   * and makes the view ready; a read during migrations may have missed entries, so it only adds.
   */
  void reconcile(Iterable<SessionRecord> snapshot, Instant readFrom, boolean complete) {
    Set<String> inMap = new HashSet<>();
    for (SessionRecord r : snapshot) {
      inMap.add(r.address());
      offer(r);
    }
    if (complete) {
      records.values().removeIf(held -> {
        boolean gone = !inMap.contains(held.record().address()) && held.arrived().isBefore(readFrom);
        if (gone) {
          LOG.debug("view drops {} (last seen {}): absent from a complete read of the map begun at {}",
              held.record().address(), held.record().lastSeen(), readFrom);
        }
        return gone;
      });
      ready = true;
    }
    LOG.debug("view reconciled with {} records of the map read from {} ({}): holds {}", inMap.size(), readFrom,
        complete ? "complete" : "incomplete, only added", records.size());
  }

  /** The view may have missed events: until the next {@link #reconcile} the inventory answers from the map. */
  void invalidate() {
    ready = false;
  }

  /** Members this hub expects back (after a pause) and until when it waits for them; null when not waiting. */
  private volatile PeerWait peerWait;

  private record PeerWait(int members, Instant notBefore, Instant until, boolean merged) {
  }

  /**
   * This process was paused: the cluster may have removed it, and its own copy of the map may be a fraction of
   * the inventory until it merges back. Until {@code members} members are back, or this member has merged back
   * into a cluster (or {@code until}), the inventory says it is not ready instead of answering from that fraction.
   * A new member id (Hazelcast gives one when the member joins another cluster) does not end the wait: it is given
   * while the merge has cleared this member's data, before the cluster's comes back (HubFreezeIT, in CI).
   * The wait lasts at least until {@code notBefore}: right after the pause the member list still names every peer
   * of before, and only learns within a moment that the cluster removed this member (a chaos soak saw a resumed
   * hub count its peers back at once, read, then split and drop a live session from its view).
   */
  void waitForPeers(int members, Instant notBefore, Instant until) {
    peerWait = new PeerWait(members, notBefore, until, false);
    ready = false;
  }

  /**
   * This member merged into another cluster (the smaller side of a split joins the larger): after a pause that
   * means it is back, however many members that cluster has (a peer may have gone meanwhile: a chaos soak saw a
   * resumed hub wait 35 s for a member count that a peer cut off in the meantime could not give back).
   */
  void merged() {
    PeerWait wait = peerWait;
    if (wait != null) {
      peerWait = new PeerWait(wait.members(), wait.notBefore(), wait.until(), true);
    }
  }

  /** True while this process has been paused but has not yet noticed it (see {@code PauseDetector#noticing}). */
  private volatile BooleanSupplier pausedUnnoticed = () -> false;

  /** Also counts as waiting for peers while {@code unnoticed} says a pause ended that nobody has acted on yet. */
  void waitAlsoWhile(BooleanSupplier unnoticed) {
    this.pausedUnnoticed = unnoticed;
  }

  /** True from Hazelcast's MERGING to its MERGED (or MERGE_FAILED): this member's data is cleared meanwhile. */
  private volatile boolean merging;
  /** Counts the starts and ends of merges: a read of the map is only whole if no merge began or ended during it. */
  private final java.util.concurrent.atomic.AtomicLong mergeChanges = new java.util.concurrent.atomic.AtomicLong();

  /** This member is merging into another cluster ({@code true}) or has ended that ({@code false}). */
  void merging(boolean now) {
    merging = now;
    mergeChanges.incrementAndGet();
    LOG.debug("merging into another cluster: {}", now);
  }

  /**
   * A mark to take before reading the map: {@link #noMergeSince} it is true if no merge was under way at the mark,
   * and none began or ended since. A merge clears this member's data and then takes the cluster's, so a read
   * across one may see nothing at all; a hub that counted such a read as whole listed no session (HubFreezeIT,
   * twice in CI).
   */
  long mergeMark() {
    return merging ? -1 : mergeChanges.get();
  }

  boolean noMergeSince(long mark) {
    return mark >= 0 && !merging && mergeChanges.get() == mark;
  }

  /**
   * Why what this member holds of the cluster's data (sessions, jobs, results) may be a stale fraction now, or null
   * when it is not: the process was paused and is rejoining, or the member is merging into another cluster.
   */
  public String unsureOfClusterData() {
    return rejoiningAfterPause() ? PAUSED : merging ? MERGING : null;
  }

  private boolean rejoiningAfterPause() {
    return peerWait != null || pausedUnnoticed.getAsBoolean();
  }

  private static final String PAUSED = "this hub was paused and is rejoining its cluster";
  private static final String MERGING =
      "this hub is merging into another cluster, which clears its copy of the cluster's data until the merge ends";

  /**
   * Why this hub cannot list sessions now, or null when it can. A merge alone does not stop a listing from a ready
   * view: the view is this process's own copy, which the merge does not clear, and it was current until the split
   * a moment before (a healthy hub whose cluster split when the master was killed merged back within a second, and
   * refused a listing meanwhile: a chaos soak). A view a pause has left behind, or one invalidated, waits for a
   * whole read of the map.
   */
  public String cannotList() {
    return rejoiningAfterPause() ? PAUSED : merging && !ready ? MERGING : null;
  }

  /**
   * Ends the wait once {@code members} are in the cluster again or this member merged back, and its minimum has
   * passed, or its time ran out; true when not waiting.
   */
  boolean peersBack(int members, Instant now) {
    PeerWait wait = peerWait;
    if (wait == null) {
      return true;
    }
    boolean back = members >= wait.members() || wait.merged();
    if (now.isAfter(wait.until()) || back && !now.isBefore(wait.notBefore())) {
      peerWait = null;
      return true;
    }
    return false;
  }

  public boolean ready() {
    return ready;
  }

  public int size() {
    return records.size();
  }

  /** Every record held, live or not (for re-polling sessions nobody in this cluster renews). */
  public List<SessionRecord> all() {
    List<SessionRecord> out = new ArrayList<>(records.size());
    records.values().forEach(held -> out.add(held.record()));
    return out;
  }

  /** The live session at {@code address}, or null. */
  public SessionRecord get(String address) {
    Held held = records.get(address);
    return held == null || lapsed(held.record(), clock.instant()) ? null : held.record();
  }

  /** Live sessions matching {@code selector}, sorted by host then port. */
  public List<SessionRecord> find(Selector selector) {
    Instant now = clock.instant();
    List<SessionRecord> out = new ArrayList<>();
    for (Held held : records.values()) {
      SessionRecord r = held.record();
      if (!lapsed(r, now) && (selector.matchesAll() || selector.matches(r.subject()))) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(SessionRecord::host).thenComparingInt(SessionRecord::port));
    return out;
  }

  /**
   * Past its lease by this hub's clock. Such a record is not answered but kept: its expiry event (or the next
   * reconcile) removes it, and a renewal that arrives late brings it back without a gap in between.
   */
  private static boolean lapsed(SessionRecord r, Instant now) {
    return r.lastSeen().plus(r.lease()).isBefore(now);
  }
}
