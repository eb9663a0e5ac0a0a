package dev.sessionhub.hub.impl.inventory;

import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.scan.HostPort;
import dev.sessionhub.shared.selector.SessionInfoSubject;
import java.time.Duration;
import java.time.Instant;

/**
 * One live session in the inventory: what it reported ({@link SessionInfo}), where the hub reaches it, how it was
 * found, which hub polled it last, and its lease. Keyed in the inventory by {@link #address()}.
 *
 * @param address   {@code host:port} as the hub reaches it; the inventory key
 * @param host      the host part of the address (the name or IP the hub connects to)
 * @param url       the agent's XML-RPC URL, without credentials
 * @param hubId     the id ({@code cluster/HubIds}) of the hub that last renewed the lease
 * @param lease     how long the entry lives without a renewal (poll or heartbeat)
 */
public record SessionRecord(String address, String host, int port, String url, SessionInfo info, Source source,
    String hubId, Instant firstSeen, Instant lastSeen, Duration lease) {

  /** The inventory key of a session at {@code host} and {@code port} ({@link HostPort#toString()}). */
  public static String address(String host, int port) {
    return new HostPort(host, port).toString();
  }

  /** The same session seen again at {@code now}, by {@code hub}, with what it reports now. */
  public SessionRecord renewed(SessionInfo latest, String hub, Instant now, Duration newLease) {
    boolean restarted = !latest.sessionId().equals(info.sessionId());
    return new SessionRecord(address, host, port, url, latest, source, hub, restarted ? now : firstSeen, now,
        newLease);
  }

  public SessionRecord withSource(Source newSource) {
    return new SessionRecord(address, host, port, url, info, newSource, hubId, firstSeen, lastSeen, lease);
  }

  /** True when what the session reports differs (ignoring when it was seen). */
  public boolean sameContentAs(SessionRecord other) {
    return other != null && info.equals(other.info) && source == other.source && url.equals(other.url);
  }

  /** The view selectors are evaluated against. */
  public SessionInfoSubject subject() {
    return new SessionInfoSubject(info, host, source.wire(), info.tags().getOrDefault("name", ""));
  }
}
