package dev.sessionhub.shared.scan;

import java.util.Objects;

/**
 * One session address: a host (name, IPv4 or IPv6 literal without brackets) and a port 1-65535. The inventory
 * key and what target expansion yields. {@link #toString()} is {@code host:port}, or {@code [v6]:port} for IPv6.
 */
public record HostPort(String host, int port) {

  /** Brackets around an IPv6 host are dropped. */
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.length() > 1 && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range 1-65535");
    }
  }

  @Override
  public String toString() {
    return hostKey() + ":" + port;
  }

  /** The host as it appears in an address: IPv6 in brackets ({@code [::1]}), anything else as it is. */
  public String hostKey() {
    return hostKey(host);
  }

  /** {@code host} as it appears in an address (see {@link #hostKey()}); brackets already there are kept. */
  public static String hostKey(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * An address this program wrote ({@link #toString()}, e.g. an inventory key), read back.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static HostPort ofKey(String address) {
    try {
      return parse(address);
    } catch (TargetSyntaxException e) {
      throw new IllegalArgumentException("not a host:port address: " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code host:port} or {@code [v6]:port}.
   *
   * @throws TargetSyntaxException naming the bad part
   */
  public static HostPort parse(String s) throws TargetSyntaxException {
    String text = s == null ? "" : s.strip();
    if (text.isEmpty()) {
      throw new TargetSyntaxException("empty address", "");
    }
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new TargetSyntaxException("unclosed bracket '" + text + "' in '" + text + "'", text);
      }
      host = text.substring(1, close);
      if (!Addresses.isIpv6(host)) {
        String bad = text.substring(0, close + 1);
        throw new TargetSyntaxException("bad IPv6 address '" + bad + "' in '" + text + "'", bad);
      }
      String rest = text.substring(close + 1);
      if (!rest.startsWith(":")) {
        throw missingPort(text, rest);
      }
      port = rest.substring(1);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw missingPort(text, "");
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (host.isEmpty()) {
        throw new TargetSyntaxException("missing host in '" + text + "'", "");
      }
      for (char c : host.toCharArray()) {
        if (!Addresses.isNameChar(c)) {
          String bad = String.valueOf(c);
          throw new TargetSyntaxException("stray character '" + bad + "' in '" + text + "'"
              + (c == ':' ? "; write IPv6 addresses in brackets, e.g. [::1]:8000" : ""), bad);
        }
      }
    }
    if (port.isEmpty()) {
      throw missingPort(text, "");
    }
    return new HostPort(host, PortSet.port(port, text));
  }

  private static TargetSyntaxException missingPort(String text, String stray) {
    return stray.isEmpty()
        ? new TargetSyntaxException("missing port in '" + text + "'; write host:port", "")
        : new TargetSyntaxException("stray characters '" + stray + "' in '" + text + "'", stray);
  }
}
