package dev.sessionhub.shared.scan;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A run of IPv4 addresses from {@code first} to {@code last}, written as a literal {@code 10.1.2.5}, a last-octet
 * range {@code 10.1.2.5-20} or a CIDR block {@code 10.1.2.0/28} (whose network and broadcast addresses are
 * skipped for prefixes up to /30). Addresses are computed as iterated.
 *
 * @param first the first address, as an unsigned 32-bit value
 * @param last the last address, inclusive
 * @param text the canonical form, as written back by {@link #toString()}
 */
record Ipv4Hosts(long first, long last, String text) implements HostSet {
  /** The shortest CIDR prefix accepted: a /16 is already 65534 hosts. */
  static final int MIN_PREFIX = 16;

  /** Parses a literal, a last-octet range or (with {@code /}) a CIDR block; {@code context} is the target. */
  static Ipv4Hosts parse(String host, String context) throws TargetSyntaxException {
    int slash = host.indexOf('/');
    if (slash >= 0) {
      return cidr(host.substring(0, slash), host.substring(slash), context);
    }
    int dash = host.indexOf('-');
    String base = dash < 0 ? host : host.substring(0, dash);
    long addr = address(base, context);
    if (dash < 0) {
      return new Ipv4Hosts(addr, addr, Addresses.formatIpv4(addr));
    }
    String endText = host.substring(dash + 1);
    int end = Addresses.octet(endText);
    if (end < 0) {
      throw new TargetSyntaxException("bad IPv4 range '" + host + "' in '" + context
          + "': after '-' give the last octet (0-255), e.g. 10.1.2.5-20", host);
    }
    if (end < (addr & 255)) {
      throw new TargetSyntaxException("bad IPv4 range '" + host + "' in '" + context + "': start is after end",
          host);
    }
    return new Ipv4Hosts(addr, addr & ~255L | end, Addresses.formatIpv4(addr) + "-" + end);
  }

  private static Ipv4Hosts cidr(String base, String prefixText, String context) throws TargetSyntaxException {
    long addr = address(base, context);
    String digits = prefixText.substring(1);
    int prefix = digits.isEmpty() || digits.length() > 2 || !digits.chars().allMatch(Character::isDigit)
        ? -1 : Integer.parseInt(digits);
    if (prefix < 0 || prefix > 32) {
      throw new TargetSyntaxException("bad CIDR prefix '" + prefixText + "' in '" + context + "'", prefixText);
    }
    if (prefix < MIN_PREFIX) {
      throw new TargetSyntaxException("CIDR prefix '" + prefixText + "' is too short in '" + context + "': "
          + ((1L << (32 - prefix)) - 2) + " hosts is too big a scan; use /" + MIN_PREFIX + " or longer",
          prefixText);
    }
    long mask = 0xFFFF_FFFFL << (32 - prefix) & 0xFFFF_FFFFL;
    long network = addr & mask;
    long broadcast = network | ~mask & 0xFFFF_FFFFL;
    String text = Addresses.formatIpv4(network) + "/" + prefix;
    return prefix <= 30 ? new Ipv4Hosts(network + 1, broadcast - 1, text) : new Ipv4Hosts(network, broadcast, text);
  }

  private static long address(String s, String context) throws TargetSyntaxException {
    long addr = Addresses.parseIpv4(s);
    if (addr < 0) {
      throw new TargetSyntaxException("bad IPv4 address '" + s + "' in '" + context + "'", s);
    }
    return addr;
  }

  @Override
  public long size() {
    return last - first + 1;
  }

  @Override
  public Iterator<String> iterator() {
    return new Iterator<>() {
      private long next = first;

      @Override
      public boolean hasNext() {
        return next <= last;
      }

      @Override
      public String next() {
        if (next > last) {
          throw new NoSuchElementException();
        }
        return Addresses.formatIpv4(next++);
      }
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
