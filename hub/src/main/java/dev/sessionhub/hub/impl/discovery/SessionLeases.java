package dev.sessionhub.hub.impl.discovery;

import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.inventory.SessionRecord;
import dev.sessionhub.hub.impl.inventory.Source;
import dev.sessionhub.shared.model.SessionInfo;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The leases of sessions in the inventory: a sighting (a scan, a poll, a registration or a heartbeat) creates a
 * session's entry or renews it with a fresh lease, and a deregistration ends it; keeping when it was first seen unless it restarted (a new
 * {@code session_id} on the same address is a new session). The one place sightings become inventory writes.
 */
public final class SessionLeases {

  private final Inventory inventory;
  private final Clock clock;
  private final Duration lease;
  /** This hub's id ({@code cluster/HubIds}): the same across merges, unlike its Hazelcast member UUID. */
  private final java.util.function.Supplier<String> hubId;

  public SessionLeases(Inventory inventory, Clock clock, Duration lease,
      java.util.function.Supplier<String> hubId) {
    this.inventory = inventory;
    this.clock = clock;
    this.lease = lease;
    this.hubId = hubId;
  }

  public Duration lease() {
    return lease;
  }

  /**
   * Sessions that deregistered through this hub, by address, for a lease: a poll or heartbeat of the same process
   * that was in flight when it deregistered must not put it back (it would be listed, dead, for a whole lease).
   * Only a new registration of it, or a new process at the address (another {@code session_id}), is taken.
   */
  private final java.util.Map<String, Departed> departed = new java.util.concurrent.ConcurrentHashMap<>();

  private record Departed(String sessionId, Instant until) {
  }

  private boolean departed(String address, String sessionId, Instant now) {
    Departed d = departed.get(address);
    if (d == null) {
      return false;
    }
    if (now.isAfter(d.until())) {
      departed.remove(address, d);
      return false;
    }
    return d.sessionId().equals(sessionId);
  }

  /**
   * The session registered itself ({@code hub.register}): taken even if the same process deregistered before, and
   * always written (a registration is rare and explicit, so it never rests on what this hub's view holds).
   */
  public Future<SessionRecord> registered(String host, int port, String url, SessionInfo info) {
    String address = SessionRecord.address(host, port);
    departed.remove(address);
    return inventory.get(address).compose(existing -> write(existing, host, port, url, info, Source.ANNOUNCE));
  }

  /**
   * The session at host:port reported {@code info} (a scan, a poll); {@code source} applies only if the entry is
   * new. Answers null, writing nothing, for a process that deregistered within a lease.
   */
  public Future<SessionRecord> seen(String host, int port, String url, SessionInfo info, Source source) {
    String address = SessionRecord.address(host, port);
    Instant now = clock.instant();
    if (departed(address, info.sessionId(), now)) {
      return Future.succeededFuture(null);
    }
    return inventory.lookup(address).compose(existing -> {
      if (unchangedAndFresh(existing, url, info, source, now)) {
        return Future.succeededFuture(existing);
      }
      return write(existing, host, port, url, info, source);
    });
  }

  /** Writes the sighting: a new entry, or {@code existing} renewed (an announcement makes the entry announced). */
  private Future<SessionRecord> write(SessionRecord existing, String host, int port, String url, SessionInfo info,
      Source source) {
    Instant now = clock.instant();
    SessionRecord record = existing == null
        ? new SessionRecord(SessionRecord.address(host, port), host, port, url, info, source, hubId.get(), now, now,
            lease)
        : existing.renewed(info, hubId.get(), now, lease);
    if (existing != null && source == Source.ANNOUNCE && existing.source() != Source.ANNOUNCE) {
      record = record.withSource(Source.ANNOUNCE);
    }
    SessionRecord toStore = record;
    return inventory.put(toStore).map(v -> toStore);
  }

  /**
   * A sighting that would change nothing but the renewal time is not written while the entry's lease has at
   * least three quarters left: heartbeats every two seconds and a poll right after a scan cost no cluster write
   * (so {@code last_seen} is up to a quarter of a lease old). Three quarters, because a renewal may wait up to
   * ~10 s for a partition to be noticed, and the lease must outlast that (see the hub's default lease).
   */
  private boolean unchangedAndFresh(SessionRecord existing, String url, SessionInfo info, Source source,
      Instant now) {
    return existing != null
        && existing.url().equals(url)
        && existing.info().equals(info)
        && existing.lease().equals(lease)
        && !(source == Source.ANNOUNCE && existing.source() != Source.ANNOUNCE)
        && renewedRecently(existing, now);
  }

  /** This hub renewed the entry less than a quarter of a lease ago (see {@link #unchangedAndFresh}). */
  private boolean renewedRecently(SessionRecord existing, Instant now) {
    return existing.hubId().equals(hubId.get())
        && Duration.between(existing.lastSeen(), now).compareTo(lease.dividedBy(4)) < 0;
  }

  /** Renews the lease of a known session if it is still the same process; false when unknown or restarted. */
  public Future<Boolean> heartbeat(String address, String sessionId) {
    if (departed(address, sessionId, clock.instant())) {
      return Future.succeededFuture(false);
    }
    return inventory.lookup(address).compose(existing -> {
      if (existing == null || !existing.info().sessionId().equals(sessionId)) {
        return Future.succeededFuture(false);
      }
      if (renewedRecently(existing, clock.instant())) {
        return Future.succeededFuture(true);
      }
      return inventory.put(existing.renewed(existing.info(), hubId.get(), clock.instant(), lease)).map(v -> true);
    });
  }

  /** Removes the session if it is still the same process (a late deregister must not remove its successor). */
  public Future<Boolean> forget(String address, String sessionId) {
    return inventory.get(address).compose(existing -> {
      if (existing == null || (sessionId != null && !sessionId.isEmpty()
          && !existing.info().sessionId().equals(sessionId))) {
        return Future.succeededFuture(false);
      }
      departed.put(address, new Departed(existing.info().sessionId(), clock.instant().plus(lease)));
      return inventory.remove(address);
    });
  }
}
