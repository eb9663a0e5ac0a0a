package dev.sessionhub.shared.scan;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses discovery targets: {@code host:ports}, e.g. {@code localhost:8000-8099},
 * {@code render[001-120].farm:8000-8010}, {@code 10.1.2.0/28:8000-8004}, {@code 10.1.2.5-20},
 * {@code [::1]:8000-8010}. Ports default to {@link #DEFAULT_PORTS}, the agents' bind range.
 *
 * <p>Hosts are a name (with optional numeric ranges in brackets), an IPv4 literal, a last-octet range, a CIDR
 * block of /16 or longer, or a bracketed IPv6 literal. Nothing is resolved and nothing is expanded here: the
 * result iterates lazily. Errors quote the bad part and the whole target, and are meant for users as they are.
 */
public final class TargetParser {
  /** The ports scanned when a target names none: the agents' default bind range. */
  public static final String DEFAULT_PORTS = "8000-8099";

  private TargetParser() {}

  /**
   * Parses one target.
   *
   * @throws TargetSyntaxException naming the bad part
   */
  public static ScanTarget parse(String text) throws TargetSyntaxException {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new TargetSyntaxException("empty target", "");
    }
    int colon = -1;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '[') {
        int close = t.indexOf(']', i);
        if (close < 0) {
          String bad = t.substring(i);
          throw new TargetSyntaxException("unclosed bracket '" + bad + "' in '" + t + "'", bad);
        }
        i = close;
      } else if (c == ':') {
        if (colon >= 0) {
          throw new TargetSyntaxException("stray ':' in '" + t
              + "'; write host:ports, with IPv6 addresses in brackets, e.g. [::1]:8000", ":");
        }
        colon = i;
      }
    }
    String host = colon < 0 ? t : t.substring(0, colon);
    String ports = colon < 0 ? DEFAULT_PORTS : t.substring(colon + 1);
    if (host.isEmpty()) {
      throw new TargetSyntaxException("missing host in '" + t + "'", "");
    }
    if (ports.isEmpty()) {
      throw new TargetSyntaxException("missing ports after ':' in '" + t + "'", "");
    }
    return new ScanTarget(hosts(host, t), PortSet.parse(ports, t));
  }

  /**
   * Parses a whitespace- or {@code ;}-separated list of targets.
   *
   * @throws TargetSyntaxException for the first bad target, or if there is none
   */
  public static List<ScanTarget> parseAll(String text) throws TargetSyntaxException {
    List<ScanTarget> out = new ArrayList<>();
    for (String part : (text == null ? "" : text).split("[\\s;]+")) {
      if (!part.isEmpty()) {
        out.add(parse(part));
      }
    }
    if (out.isEmpty()) {
      throw new TargetSyntaxException("empty target list", "");
    }
    return List.copyOf(out);
  }

  private static HostSet hosts(String host, String context) throws TargetSyntaxException {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      String inside = host.substring(1, close);
      if (inside.indexOf(':') >= 0) {
        String bracketed = host.substring(0, close + 1);
        if (!Addresses.isIpv6(inside)) {
          throw new TargetSyntaxException("bad IPv6 address '" + bracketed + "' in '" + context + "'",
              bracketed);
        }
        if (close < host.length() - 1) {
          String stray = host.substring(close + 1);
          throw new TargetSyntaxException("stray characters '" + stray + "' after '" + bracketed + "' in '"
              + context + "'", stray);
        }
        return new SingleHost(inside);
      }
    }
    if (host.indexOf('/') >= 0 || Addresses.looksIpv4(host)) {
      return Ipv4Hosts.parse(host, context);
    }
    return NameHosts.parse(host, context);
  }
}
