package dev.sessionhub.hub.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The per-client, per-call-invariant part of what {@link HardenedTransport} needs, derived once from {@link
 * AgentClientOptions}: timeouts and limits as plain numbers and the ready-made {@code Authorization} value.
 *
 * <p>Why not the options object itself: options are mutable; the transport gets an immutable snapshot, and the
 * token never leaves this record except as the header it becomes.
 */
record TransportSettings(long connectTimeoutMillis, int maxResponseBytes, String userAgent, String authorization) {

  static TransportSettings of(AgentClientOptions options) {
    String authorization = null;
    if (options.getToken() != null) {
      String credentials = AgentClientOptions.BASIC_AUTH_USER + ":" + options.getToken();
      authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
    return new TransportSettings(options.getConnectTimeout().toMillis(), options.getMaxResponseBytes(),
        options.getUserAgent(), authorization);
  }

  @Override
  public String toString() {
    return "TransportSettings[connectTimeoutMillis=" + connectTimeoutMillis + ", maxResponseBytes="
        + maxResponseBytes + ", userAgent=" + userAgent + ", authorization=" + (authorization == null ? "none"
        : "set") + "]";
  }
}
