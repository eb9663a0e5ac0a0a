package dev.sessionhub.hub.impl.inventory;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Vertx;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns inventory map events into {@link SessionEvent}s on the local event bus at {@link #ADDRESS}: an added
 * entry is {@code up}; an update with a new {@code session_id} is the old session {@code down} (restarted) and
 * the new one {@code up}; an update that changes what the session reports is {@code changed}; a lease renewal
 * alone is nothing; a removed or expired entry is {@code down}. Every hub hears every event, so each one can
 * stream all of them. Nothing thrown here escapes into Hazelcast's event threads.
 *
 * <p>The local {@link InventoryView} follows the events by its ordering rule (a record older than the one held
 * is ignored; a removal drops only what is not newer than the removed record), so stale or replayed events
 * never take a live session out of the view. An expiry is also checked against the map's current entry, and
 * an entry that came back through a merge of split clusters ({@code MERGED}) is offered like an update.
 */
public final class InventoryEvents implements EntryAddedListener<String, HazelcastJsonValue>,
    EntryUpdatedListener<String, HazelcastJsonValue>, EntryRemovedListener<String, HazelcastJsonValue>,
    EntryExpiredListener<String, HazelcastJsonValue>, EntryMergedListener<String, HazelcastJsonValue> {

  public static final String ADDRESS = "sessionhub.inventory.events";
  private static final Logger LOG = LoggerFactory.getLogger(InventoryEvents.class);

  private final Vertx vertx;
  private final Inventory inventory;
  private UUID registration;

  public InventoryEvents(Vertx vertx, Inventory inventory) {
    this.vertx = vertx;
    this.inventory = inventory;
  }

  public InventoryEvents start() {
    registration = inventory.map().addEntryListener(this, true);
    inventory.resyncView().onFailure(e -> LOG.warn("could not load the inventory view: {}", e.toString()));
    return this;
  }

  public void stop() {
    if (registration != null) {
      try {
        inventory.map().removeEntryListener(registration);
      } catch (RuntimeException e) {
        LOG.debug("listener removal failed (cluster shutting down)", e);
      }
    }
  }

  @Override
  public void entryAdded(EntryEvent<String, HazelcastJsonValue> event) {
    trace(event);
    SessionRecord record = decodeQuietly(event.getValue());
    boolean putBack = record != null && inventory.view().putBack(record);
    if (record != null && inventory.view().offer(record) && !putBack) {
      publish(new SessionEvent(SessionEvent.Type.UP, record, null));
    }
  }

  /**
   * An entry written by a merge of split clusters: the view takes it if it is newer than what it holds. When the
   * entry already in the cluster won (its value is the one it had), the member that sent the merge (the event's
   * member) also sets its expiry back to what the record's lease says: Hazelcast gave it the expiry of the copy that
   * lost ({@link Inventory#expiredEarly}).
   */
  @Override
  public void entryMerged(EntryEvent<String, HazelcastJsonValue> event) {
    trace(event);
    SessionRecord record = decodeQuietly(event.getValue());
    if (record == null) {
      return;
    }
    SessionRecord before = decodeQuietly(event.getOldValue());
    boolean kept = before != null && before.lastSeen().equals(record.lastSeen());
    if (kept && event.getMember().localMember()) {
      inventory.restoreLease(record).onFailure(e -> LOG.debug("could not restore the lease of {}", record.address(), e));
    }
    if (inventory.view().offer(record)) {
      publish(new SessionEvent(SessionEvent.Type.CHANGED, record, "merged"));
    }
  }

  @Override
  public void entryUpdated(EntryEvent<String, HazelcastJsonValue> event) {
    trace(event);
    try {
      SessionRecord before = Inventory.decode(event.getOldValue());
      SessionRecord after = Inventory.decode(event.getValue());
      if (after != null && !inventory.view().offer(after)) {
        return; // older than what the view holds: a replayed or reordered event
      }
      if (before == null || after == null) {
        emit(SessionEvent.Type.CHANGED, event.getValue(), null);
      } else if (!before.info().sessionId().equals(after.info().sessionId())) {
        publish(new SessionEvent(SessionEvent.Type.DOWN, before, "restarted"));
        publish(new SessionEvent(SessionEvent.Type.UP, after, "restarted"));
      } else if (!after.sameContentAs(before)) {
        publish(new SessionEvent(SessionEvent.Type.CHANGED, after, null));
      }
    } catch (RuntimeException e) {
      LOG.warn("could not report an inventory update", e);
    }
  }

  @Override
  public void entryRemoved(EntryEvent<String, HazelcastJsonValue> event) {
    trace(event);
    retire(event, "removed");
  }

  /**
   * An entry's lease ran out. Expiry is decided per replica and may be reported after a renewal reached the map
   * (a migration or a merge between them), so the view also asks the map for the key and takes what it has. An
   * entry that expired while its record's own lease still runs was cut short by a merge
   * ({@link Inventory#expiredEarly}): it is put back, and the session never leaves the view.
   */
  @Override
  public void entryExpired(EntryEvent<String, HazelcastJsonValue> event) {
    trace(event);
    SessionRecord gone = decodeQuietly(event.getOldValue());
    if (gone != null && inventory.expiredEarly(gone)) {
      // its lease still runs: the session stays listed (no down event), and the member that expired the entry
      // puts it back; the view expects that write, which is then no new session either
      LOG.debug("{} expired {} before its lease ran out: put back", event.getMember(), event.getKey());
      inventory.view().expectPutBack(gone);
      if (event.getMember().localMember()) {
        inventory.restore(gone, event.getOldValue())
            .onFailure(e -> LOG.warn("could not put back {}: {}", gone.address(), e.toString()));
      }
      return;
    }
    retire(event, "lease expired");
    inventory.get(event.getKey()).onSuccess(current -> {
      if (current != null && inventory.view().offer(current)) {
        publish(new SessionEvent(SessionEvent.Type.UP, current, "renewed"));
      }
    });
  }

  private void retire(EntryEvent<String, HazelcastJsonValue> event, String reason) {
    SessionRecord gone = decodeQuietly(event.getOldValue());
    inventory.view().retire(event.getKey(), gone);
    if (gone != null && inventory.view().get(event.getKey()) == null) {
      publish(new SessionEvent(SessionEvent.Type.DOWN, gone, reason));
    }
  }

  /** Every event, at TRACE: what a view's decisions were made from, when one must be explained. */
  private static void trace(EntryEvent<String, HazelcastJsonValue> event) {
    if (LOG.isTraceEnabled()) {
      SessionRecord value = decodeQuietly(event.getValue());
      SessionRecord old = decodeQuietly(event.getOldValue());
      LOG.trace("{} {} from {}: last seen {} (before: {})", event.getEventType(), event.getKey(), event.getMember(),
          value == null ? "-" : value.lastSeen(), old == null ? "-" : old.lastSeen());
    }
  }

  private static SessionRecord decodeQuietly(HazelcastJsonValue value) {
    try {
      return Inventory.decode(value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void emit(SessionEvent.Type type, HazelcastJsonValue value, String reason) {
    try {
      SessionRecord record = Inventory.decode(value);
      if (record != null) {
        publish(new SessionEvent(type, record, reason));
      }
    } catch (RuntimeException e) {
      LOG.warn("could not report an inventory event", e);
    }
  }

  private void publish(SessionEvent event) {
    vertx.eventBus().publish(ADDRESS, event.toJson());
  }
}
