package dev.sessionhub.hub.http;

import dev.sessionhub.hub.audit.AuditLog;
import dev.sessionhub.shared.auth.TokenAuth;
import java.time.Duration;

/**
 * How the hub's HTTP edge guards itself: the token, whether inventory reads are open, per-client limits, the
 * audit log for refusals, the largest body it reads and how long it waits for a request.
 *
 * @param rateLimit requests per second per client on average (0: no rate limit)
 * @param rateBurst requests a client may make at once above its rate
 * @param maxInFlightPerClient requests one client may have open at once (bounds buffered bodies per client)
 * @param maxStreamsPerClient event streams one client may hold open
 * @param requestReadTimeout how long a client may take to send a request's headers, then its body (slow-loris)
 */
public record HubHttpOptions(TokenAuth auth, boolean openDiscovery, double rateLimit, int rateBurst,
    int maxInFlightPerClient, int maxStreamsPerClient, AuditLog audit, int maxBodyBytes,
    Duration requestReadTimeout) {
}
