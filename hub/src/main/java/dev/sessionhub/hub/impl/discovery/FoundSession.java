package dev.sessionhub.hub.impl.discovery;

import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.scan.HostPort;

/** A session a scan found: where it answered, its URL, and what its {@code server_data()} said. */
public record FoundSession(HostPort address, String url, SessionInfo info) {

  public static String urlOf(HostPort address) {
    return urlOf(address, false);
  }

  /** {@code https://host:port/} when scanning for TLS agents, else {@code http://host:port/}. */
  public static String urlOf(HostPort address, boolean tls) {
    return (tls ? "https://" : "http://") + address + "/";
  }
}
