package dev.sessionhub.hub.impl.client;

import dev.sessionhub.shared.tls.TrustedCas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * The per-client, per-call-invariant part of what {@link HardenedTransport} needs, derived once from {@link
 * AgentClientOptions}: timeouts and limits as plain numbers, the ready-made {@code Authorization} value, and the
 * TLS context for {@code https://} agents (the CA bundle's trust or the JDK's).
 *
 * <p>Why not the options object itself: options are mutable; the transport gets an immutable snapshot, and the
 * token never leaves this record except as the header it becomes.
 */
record TransportSettings(long connectTimeoutMillis, int maxResponseBytes, String userAgent, String authorization,
    SSLContext tls, String trusted) {

  /** Throws {@link IllegalArgumentException} when the options' CA bundle cannot be read. */

  static TransportSettings of(AgentClientOptions options) {
    String authorization = null;
    if (options.getToken() != null) {
      String credentials = AgentClientOptions.BASIC_AUTH_USER + ":" + options.getToken();
      authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
    Path ca = options.getCaPath() == null ? null : Path.of(options.getCaPath());
    return new TransportSettings(options.getConnectTimeout().toMillis(), options.getMaxResponseBytes(),
        options.getUserAgent(), authorization, TrustedCas.clientContext(ca),
        TrustedCas.describe(ca));
  }

  @Override
  public String toString() {
    return "TransportSettings[connectTimeoutMillis=" + connectTimeoutMillis + ", maxResponseBytes="
        + maxResponseBytes + ", userAgent=" + userAgent + ", authorization=" + (authorization == null ? "none"
        : "set") + ", trusted=" + trusted + "]";
  }
}
