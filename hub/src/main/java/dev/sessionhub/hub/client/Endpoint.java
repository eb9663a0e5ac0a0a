package dev.sessionhub.hub.client;

import java.net.URL;
import java.util.Locale;

/**
 * Where a call goes, as connections are pooled: scheme, host and port. The host is as the URL spells it, minus
 * an IPv6 literal's brackets.
 */
record Endpoint(boolean tls, String host, int port) {

  static Endpoint of(URL url) {
    String host = url.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    boolean tls = url.getProtocol().toLowerCase(Locale.ROOT).equals("https");
    return new Endpoint(tls, host, url.getPort() < 0 ? url.getDefaultPort() : url.getPort());
  }

  /** The {@code Host} header's value. */
  String hostHeader() {
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == (tls ? 443 : 80) ? name : name + ":" + port;
  }

  @Override
  public String toString() {
    return (tls ? "https://" : "http://") + hostHeader();
  }
}
