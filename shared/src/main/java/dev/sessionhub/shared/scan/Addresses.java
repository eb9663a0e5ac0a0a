package dev.sessionhub.shared.scan;

/** IPv4 and IPv6 literal helpers for the target parser: no DNS, no {@code InetAddress}. */
final class Addresses {
  private Addresses() {}

  /** Whether {@code s} has only digits, dots and dashes and at least one dot: it is meant as IPv4. */
  static boolean looksIpv4(String s) {
    return s.indexOf('.') >= 0 && s.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.' || c == '-');
  }

  /** The address as an unsigned 32-bit value, or -1 if {@code s} is not a dotted quad. */
  static long parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long v = 0;
    for (String p : parts) {
      int octet = octet(p);
      if (octet < 0) {
        return -1;
      }
      v = v << 8 | octet;
    }
    return v;
  }

  /** A decimal 0-255 of 1 to 3 digits, or -1. */
  static int octet(String p) {
    if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int v = Integer.parseInt(p);
    return v > 255 ? -1 : v;
  }

  static String formatIpv4(long v) {
    return (v >>> 24 & 255) + "." + (v >>> 16 & 255) + "." + (v >>> 8 & 255) + "." + (v & 255);
  }

  /**
   * Whether {@code s} (without brackets) is an IPv6 literal, optionally with a {@code %zone}. ASCII only, as the
   * JDK's own literal parser wants: {@code Character.digit} would also take e.g. a full-width '１'.
   */
  static boolean isIpv6(String s) {
    int pct = s.indexOf('%');
    if (pct >= 0) {
      String zone = s.substring(pct + 1);
      if (zone.isEmpty() || !zone.chars().allMatch(c -> c < 128 && isNameChar((char) c))) {
        return false;
      }
      s = s.substring(0, pct);
    }
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return false;
    }
    if (dbl < 0) {
      return groups(s, true) == 8;
    }
    String tail = s.substring(dbl + 2);
    int h = groups(s.substring(0, dbl), false);
    int t = groups(tail, true);
    return h >= 0 && t >= 0 && h + t <= 7;
  }

  /** The number of 16-bit groups in a ':'-separated run (a dotted quad last counts 2), or -1 if malformed. */
  private static int groups(String run, boolean ipv4Last) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] gs = run.split(":", -1);
    int count = 0;
    for (int i = 0; i < gs.length; i++) {
      String g = gs[i];
      if (ipv4Last && i == gs.length - 1 && g.indexOf('.') >= 0) {
        if (parseIpv4(g) < 0) {
          return -1;
        }
        count += 2;
      } else if (!g.isEmpty() && g.length() <= 4 && g.chars().allMatch(Addresses::isHexDigit)) {
        count++;
      } else {
        return -1;
      }
    }
    return count;
  }

  private static boolean isHexDigit(int c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** Whether {@code c} may appear in a host name. */
  static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
        || c == '_';
  }
}
