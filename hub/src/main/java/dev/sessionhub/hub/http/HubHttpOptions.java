package dev.sessionhub.hub.http;

import dev.sessionhub.hub.audit.AuditLog;
import dev.sessionhub.shared.auth.TokenAuth;

/**
 * How the hub's HTTP edge guards itself: the token, whether inventory reads are open, per-client limits, the
 * audit log for refusals, and the largest body it reads.
 *
 * @param rateLimit requests per second per client on average (0: no rate limit)
 * @param rateBurst requests a client may make at once above its rate
 * @param maxInFlightPerClient requests one client may have open at once (bounds buffered bodies per client)
 * @param maxStreamsPerClient event streams one client may hold open
 */
public record HubHttpOptions(TokenAuth auth, boolean openDiscovery, double rateLimit, int rateBurst,
    int maxInFlightPerClient, int maxStreamsPerClient, AuditLog audit, int maxBodyBytes) {
}
