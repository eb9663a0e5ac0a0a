package dev.sessionhub.hub.impl.inventory;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MetadataPolicy;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;
import dev.sessionhub.hub.impl.cluster.Replication;
import dev.sessionhub.shared.selector.Selector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide map of live sessions: a Hazelcast {@code IMap} keyed by {@code host:port} whose values are
 * JSON ({@code HazelcastJsonValue}, never Java serialization). Every entry is put with a TTL, its lease: a poll
 * or heartbeat puts it again and so renews it; an entry nobody renews expires, which the
 * {@link InventoryEvents} report as a session going down.
 *
 * <p>All calls are asynchronous: Hazelcast's async API where it has one, {@code executeBlocking} where not
 * (queries), so no event loop ever waits on the cluster.
 */
public final class Inventory {

  public static final String MAP_NAME = "sessionhub.sessions";
  private static final Logger LOG = LoggerFactory.getLogger(Inventory.class);

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> map;
  private final InventoryView view;
  private final java.time.Clock clock;
  private final com.hazelcast.partition.PartitionService partitions;
  private final com.hazelcast.cluster.Cluster members;
  /**
   * Where selector queries over the view run: its own threads, so an in-memory query never waits behind
   * blocking cluster calls (result writes to a frozen member held every thread of Vert.x's worker pool).
   */
  private final WorkerExecutor viewQueries;
  /**
   * Where lease repairs after a merge run ({@link #restoreLease}, {@link #restore}): a merge can bring thousands at
   * once, which must not hold Vert.x's shared worker pool.
   */
  private final WorkerExecutor leaseRepairs;

  public Inventory(Vertx vertx, HazelcastInstance hazelcast) {
    this(vertx, hazelcast, java.time.Clock.systemUTC());
  }

  public Inventory(Vertx vertx, HazelcastInstance hazelcast, java.time.Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.map = hazelcast.getMap(MAP_NAME);
    this.partitions = hazelcast.getPartitionService();
    this.members = hazelcast.getCluster();
    this.view = new InventoryView(clock);
    this.viewQueries = vertx.createSharedWorkerExecutor("sessionhub-view-queries", 2);
    this.leaseRepairs = vertx.createSharedWorkerExecutor("sessionhub-lease-repairs", 2);
  }

  /** Releases the view's query threads. */
  public void close() {
    viewQueries.close();
    leaseRepairs.close();
  }

  /** This hub's decoded copy, fed by {@link InventoryEvents}. */
  public InventoryView view() {
    return view;
  }

  /**
   * Reconciles the local view with a full read of the map (see {@link InventoryView#reconcile}): at start, once
   * the event listener is registered so nothing falls between; after a merge of split clusters, after this
   * process was paused, and periodically, since events can be lost while partitions migrate.
   */
  public Future<Boolean> resyncView() {
    return vertx.executeBlocking(() -> {
      // a snapshot read while partitions migrate may miss entries: only a read between two safe checks may drop
      // records from the view; any other read only adds what is newer
      long mergeMark = view.mergeMark();
      boolean safeBefore = partitions.isClusterSafe();
      java.time.Instant readFrom = clock.instant();
      List<SessionRecord> snapshot = new ArrayList<>();
      for (HazelcastJsonValue v : map.values()) {
        SessionRecord r = decode(v);
        if (r != null) {
          snapshot.add(r);
        }
      }
      // asked whatever the partitions' state: a hub merged back after a pause has its peers back, and answers from
      // the map until a read is complete, rather than "not ready" while the replicas it receives sync
      // nothing read across a merge counts: neither for the peers being back nor as a whole read
      boolean noMerge = view.noMergeSince(mergeMark);
      boolean peersBack = noMerge && view.peersBack(members.getMembers().size(), clock.instant());
      boolean safeAfter = partitions.isClusterSafe();
      boolean complete = safeBefore && safeAfter && peersBack && view.noMergeSince(mergeMark);
      LOG.debug("read {} records of the map (cluster safe before {}, after {}; {} members; peers back {}; {})",
          snapshot.size(), safeBefore, safeAfter, members.getMembers().size(), peersBack,
          noMerge ? "no merge meanwhile" : "across a merge");
      view.reconcile(snapshot, readFrom, complete);
      return complete;
    }, false);
  }

  /**
   * Adds the inventory map's configuration (backups, merge policy) to a member config. No custom partitioning
   * strategy: with one, Hazelcast 5.6 placed a key by the strategy for sync operations and by the whole key for
   * async ones, so a {@code setAsync} entry was invisible to {@code get} and failovers re-created entries.
   */
  public static void configure(Config config) {
    // every hub holds every entry: a hub cut off from all the others goes on renewing what it reaches (with one
    // backup, a hub left alone of three kept about two thirds: InventoryReplicationTest, the chaos soak)
    config.addMapConfig(Replication.onEveryHub(new MapConfig(MAP_NAME))
        .setPerEntryStatsEnabled(true)
        .setMetadataPolicy(MetadataPolicy.OFF)
        .setMergePolicyConfig(new MergePolicyConfig(LatestUpdateMergePolicy.class.getName(), 100)));
    // No static indexes: with them, a member joining a running cluster rebuilt them on every partition at
    // proxy creation and that invocation never completed (Hazelcast 5.6, seen in HubDiscoveryTest). The
    // predicates still run member-side; ops/BENCHMARKS.md records what selector lookups cost without them.
    // No JSON metadata either (Hazelcast's default parses every JSON value on write to speed up predicates over
    // it): selectors are answered by the local view, and the metadata cost ~2 KB and a parse per write.
  }

  public IMap<String, HazelcastJsonValue> map() {
    return map;
  }

  private Context context() {
    return vertx.getOrCreateContext();
  }

  /**
   * Puts the record with its lease as TTL: adds it, updates it, or renews it. This hub's view takes it at once,
   * before the write lands: a renewal must keep the session listed here even while its entry's partition cannot
   * be written (its owner unreachable until the cluster removes it); the map's event then changes nothing.
   */
  public Future<Void> put(SessionRecord record) {
    view.offer(record);
    HazelcastJsonValue value = new HazelcastJsonValue(SessionRecordJson.toStored(record).encode());
    return Future.fromCompletionStage(
        map.setAsync(record.address(), value, record.lease().toMillis(), TimeUnit.MILLISECONDS), context());
  }

  /**
   * How much longer two hubs' clocks may differ than a record's own lease is trusted over the map's expiry: an
   * entry that expires with more than this left on its record's lease expired early ({@link #expiredEarly}).
   */
  static final Duration CLOCK_GRACE = Duration.ofSeconds(1);

  /** What {@code record}'s own lease ({@code last_seen} + lease) has left by this hub's clock; negative once lapsed. */
  Duration leaseLeft(SessionRecord record) {
    return Duration.between(clock.instant(), record.lastSeen().plus(record.lease()));
  }

  /**
   * Whether the map expired {@code record} before its own lease ran out. Hazelcast 5.6 does that after a merge of
   * split clusters: when the entry already in the cluster wins, it still takes the losing copy's expiry
   * ({@code DefaultRecordStore.merge → mergeRecordExpiration}), so a copy that the smaller side stopped renewing
   * during the split cuts the renewed entry's lease short, and it expires seconds later (HubPartitionIT lost the
   * sessions only the larger side reached, right after the merge; MergedLeaseTest).
   */
  boolean expiredEarly(SessionRecord record) {
    return leaseLeft(record).compareTo(CLOCK_GRACE) > 0;
  }

  /**
   * Gives the entry at {@code record}'s address the expiry its record's own lease says, in case a merge shortened
   * it (see {@link #expiredEarly}); nothing when the lease has (nearly) lapsed. A renewal landing meanwhile may
   * have its longer TTL cut back to this one; if that entry then expires early, {@link #restore} puts it back.
   */
  Future<Boolean> restoreLease(SessionRecord record) {
    Duration left = leaseLeft(record);
    if (left.compareTo(CLOCK_GRACE) <= 0) {
      return Future.succeededFuture(false);
    }
    return leaseRepairs.executeBlocking(() -> map.setTtl(record.address(), left.toMillis(), TimeUnit.MILLISECONDS),
        false);
  }

  /**
   * Puts back an entry the map expired before its record's lease ran out ({@link #expiredEarly}), with the lease
   * it has left: never over an entry written since (put if absent).
   */
  Future<Void> restore(SessionRecord record, HazelcastJsonValue value) {
    Duration left = leaseLeft(record);
    if (left.compareTo(CLOCK_GRACE) <= 0) {
      return Future.succeededFuture();
    }
    return leaseRepairs.executeBlocking(() -> {
      map.putIfAbsent(record.address(), value, left.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    }, false);
  }

  /** The record at {@code address}, or null. */
  public Future<SessionRecord> get(String address) {
    return Future.fromCompletionStage(map.getAsync(address), context()).map(Inventory::decode);
  }

  /**
   * The session at {@code address} for routing: from the local view when it has it (no cluster round trip),
   * else from the map (a session registered a moment ago may not have reached the view yet).
   */
  public Future<SessionRecord> lookup(String address) {
    SessionRecord known = view.ready() ? view.get(address) : null;
    return known != null ? Future.succeededFuture(known) : get(address);
  }

  /** Whether the local view has a live session at {@code address} (no cluster round trip; false before it loads). */
  public boolean knows(String address) {
    return view.ready() && view.get(address) != null;
  }

  /**
   * Removes the entry at {@code address}; true if there was one. The local view drops it at once rather than when
   * the removal event arrives, so this hub's next {@link #lookup} of the address cannot answer the removed record
   * (a session that deregistered and registered again within milliseconds was judged "unchanged" against it and
   * not written back).
   */
  public Future<Boolean> remove(String address) {
    return Future.fromCompletionStage(map.removeAsync(address), context()).map(old -> {
      if (old != null) {
        view.retire(address, decode(old));
      }
      return old != null;
    });
  }

  /**
   * Sessions matching {@code selector}, sorted by host and port: from the local view once it is loaded, else
   * by a predicate query over the cluster.
   */
  public Future<List<SessionRecord>> find(Selector selector) {
    String cannotList = view.cannotList();
    if (cannotList != null) {
      return Future.failedFuture(notReady(cannotList, "its inventory may lack sessions"));
    }
    if (view.ready()) {
      return viewQueries.executeBlocking(() -> view.find(selector), false);
    }
    LOG.trace("the view is not ready: {} answered from the map", selector);
    return findInCluster(selector);
  }

  /**
   * Whether what this hub's member holds of the cluster's data (sessions, jobs, results) may be a stale fraction:
   * it was paused and is rejoining its cluster, or it is merging into another ({@link InventoryView#unsureOfClusterData}).
   */
  public boolean rejoining() {
    return view.unsureOfClusterData() != null;
  }

  /** The answer to a read while {@link #rejoining}: {@code why} says what could be wrong (HTTP 503). */
  public IllegalStateException notReady(String why) {
    String because = view.unsureOfClusterData();
    return notReady(because == null ? "this hub was rejoining its cluster" : because, why);
  }

  private static IllegalStateException notReady(String because, String why) {
    return new IllegalStateException("not ready: " + because + ", so " + why
        + "; ask another hub, or retry in a few seconds");
  }

  /** Sessions matching {@code selector}, by a Hazelcast predicate query (then checked by the selector). */
  public Future<List<SessionRecord>> findInCluster(Selector selector) {
    return vertx.executeBlocking(() -> {
      var values = selector.matchesAll() ? map.values() : map.values(SelectorPredicates.of(selector));
      List<SessionRecord> out = new ArrayList<>(values.size());
      for (HazelcastJsonValue v : values) {
        SessionRecord r = decode(v);
        if (r != null && selector.matches(r.subject())) {
          out.add(r);
        }
      }
      out.sort(Comparator.comparing(SessionRecord::host).thenComparingInt(SessionRecord::port));
      return out;
    }, false);
  }

  /** Addresses of the sessions whose host partition this member owns. */
  public Future<Set<String>> localAddresses() {
    return vertx.executeBlocking(map::localKeySet, false);
  }

  public Future<Integer> size() {
    return vertx.executeBlocking(map::size, false);
  }

  static SessionRecord decode(HazelcastJsonValue value) {
    if (value == null) {
      return null;
    }
    try {
      return SessionRecordJson.fromStored(new JsonObject(value.getValue()));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
