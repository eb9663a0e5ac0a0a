package dev.sessionhub.hub.impl.inventory;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.sessionhub.hub.impl.cluster.PauseDetector;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this hub's {@link InventoryView} in step with the map where events alone cannot: after this member's
 * cluster merged with another (the view is invalid until re-read), after this process was paused (the same),
 * after a member left (partitions migrate, and events raised meanwhile can be lost), and every
 * {@link #PERIOD} as a safety net. Re-reads never overlap.
 */
public final class ViewSync implements AutoCloseable {

  /** The safety-net period: bounds how long any missed event can leave the view wrong. */
  static final Duration PERIOD = Duration.ofSeconds(30);
  /** How long a hub that was paused waits for its peers before it answers from what it has. */
  static final Duration PEER_WAIT = Duration.ofSeconds(45);
  /**
   * The least a hub that was paused waits: long enough to hear that the cluster removed it (its first heartbeats
   * after the pause draw the master's answer within about a second) before the member count can end the wait.
   */
  static final Duration PEER_MIN_WAIT = Duration.ofSeconds(5);
  /** How long after a member left the view is re-read: partitions have usually settled by then. */
  static final Duration AFTER_MEMBER_LEFT = Duration.ofSeconds(3);

  private static final Logger LOG = LoggerFactory.getLogger(ViewSync.class);

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Inventory inventory;
  private final AtomicBoolean reading = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private UUID lifecycleListener;
  private UUID membershipListener;
  private long timer = -1;

  public ViewSync(Vertx vertx, HazelcastInstance hazelcast, Inventory inventory, PauseDetector pauses) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.inventory = inventory;
    // a request served in the moment between the pause's end and the detector's next tick is refused too
    inventory.view().waitAlsoWhile(pauses::noticing);
    pauses.onPause(paused -> {
      // at once, on the detector's thread (before it stops "noticing"): the member list still names the peers this
      // hub had before it stopped, so wait for that many again
      java.time.Instant now = java.time.Instant.now();
      inventory.view().waitForPeers(hazelcast.getCluster().getMembers().size(), now.plus(PEER_MIN_WAIT),
          now.plus(PEER_WAIT));
      vertx.runOnContext(v -> read("paused " + paused.toMillis() + " ms"));
    });
  }

  public ViewSync start() {
    lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      LOG.info("lifecycle: {} on {}", event.getState(), Thread.currentThread().getName());
      if (event.getState() == LifecycleEvent.LifecycleState.MERGING) {
        inventory.view().merging(true);
      } else if (event.getState() == LifecycleEvent.LifecycleState.MERGE_FAILED) {
        inventory.view().merging(false);
      }
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        inventory.view().merging(false);
        vertx.runOnContext(v -> {
          inventory.view().merged();
          invalidateAndRead("merged with another cluster");
        });
      }
    });
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        vertx.setTimer(AFTER_MEMBER_LEFT.toMillis(), id -> read("member " + event.getMember().getAddress() + " left"));
      }
    });
    timer = vertx.setPeriodic(PERIOD.toMillis(), id -> read("periodic"));
    if (!inventory.view().ready()) {
      read("start");
    }
    return this;
  }

  private void invalidateAndRead(String why) {
    inventory.view().invalidate();
    read(why);
  }

  /** Re-reads the map into the view; a request while a read runs makes one more read after it. */
  private void read(String why) {
    if (!reading.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    LOG.debug("re-reading the inventory view: {}", why);
    inventory.resyncView().onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("could not re-read the inventory view ({}): {}", why, ar.cause().toString());
      }
      reading.set(false);
      boolean incomplete = ar.failed() || !ar.result();
      if (again.getAndSet(false) || incomplete) {
        // partitions were migrating (or the read failed): read again once they may have settled
        vertx.setTimer(incomplete ? 2_000 : 1_000, id -> read("again after: " + why));
      }
    });
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    try {
      if (lifecycleListener != null) {
        hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
      }
      if (membershipListener != null) {
        hazelcast.getCluster().removeMembershipListener(membershipListener);
      }
    } catch (RuntimeException e) {
      LOG.debug("listener removal failed (member shutting down)", e);
    }
  }
}
