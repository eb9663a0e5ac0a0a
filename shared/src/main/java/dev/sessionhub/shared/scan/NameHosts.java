package dev.sessionhub.shared.scan;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Host names with numeric ranges, e.g. {@code render[001-120].farm} or {@code n[1,3,7-9].rack[1-2]}: the
 * cartesian product of the bracketed choices, in odometer order (last bracket fastest). Each number keeps the
 * zero padding of its range's start. A name without brackets is a one-host set.
 *
 * @param parts literal text ({@code String}) and bracketed choices ({@code List<Range>}), in order
 */
record NameHosts(List<Object> parts) implements HostSet {
  /** Refuse expansions past this: a scan that big is a mistake. */
  static final long MAX_HOSTS = 65_536;

  /** One numeric range in brackets, printed with at least {@code width} digits. */
  record Range(long start, long end, int width) {
    long size() {
      return end - start + 1;
    }

    String format(long v) {
      String s = Long.toString(v);
      return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
  }

  NameHosts {
    parts = List.copyOf(parts);
  }

  /** Parses a host name pattern; {@code context} is the whole target, quoted in messages. */
  static NameHosts parse(String host, String context) throws TargetSyntaxException {
    List<Object> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    long size = 1;
    int i = 0;
    while (i < host.length()) {
      char c = host.charAt(i);
      if (c == '[') {
        int close = host.indexOf(']', i);
        if (close < 0) {
          String bad = host.substring(i);
          throw new TargetSyntaxException("unclosed bracket '" + bad + "' in '" + context + "'", bad);
        }
        if (lit.length() > 0) {
          parts.add(lit.toString());
          lit.setLength(0);
        }
        List<Range> choice = choice(host.substring(i, close + 1), context);
        parts.add(choice);
        long choices = choice.stream().mapToLong(Range::size).sum(); // items < 2^31, each < 2^30: no overflow
        if (choices > MAX_HOSTS || size * choices > MAX_HOSTS) { // both factors <= 2^16: no overflow either
          throw new TargetSyntaxException("too many hosts in '" + context + "': '" + host + "' expands to more than "
              + MAX_HOSTS + " hosts", host);
        }
        size *= choices;
        i = close + 1;
      } else if (Addresses.isNameChar(c)) {
        lit.append(c);
        i++;
      } else {
        String bad = String.valueOf(c);
        throw new TargetSyntaxException("stray character '" + bad + "' in '" + context + "'", bad);
      }
    }
    if (lit.length() > 0) {
      parts.add(lit.toString());
    }
    return new NameHosts(parts);
  }

  /** Parses {@code [1-3]}, {@code [001-120]} or {@code [1,3,7-9]}. */
  private static List<Range> choice(String bracket, String context) throws TargetSyntaxException {
    String body = bracket.substring(1, bracket.length() - 1);
    if (body.isEmpty()) {
      throw bad(bracket, context, "empty brackets");
    }
    List<Range> out = new ArrayList<>();
    for (String item : body.split(",", -1)) {
      int dash = item.indexOf('-');
      String a = dash < 0 ? item : item.substring(0, dash);
      String b = dash < 0 ? item : item.substring(dash + 1);
      if (!number(a) || !number(b)) {
        throw bad(bracket, context, item.isEmpty() ? "empty item"
            : "expected numbers such as [1-9], [001-120] or [1,3,7-9]");
      }
      long start = Long.parseLong(a);
      long end = Long.parseLong(b);
      if (start > end) {
        throw bad(bracket, context, "start is after end");
      }
      out.add(new Range(start, end, a.length()));
    }
    return out;
  }

  private static boolean number(String s) {
    return !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static TargetSyntaxException bad(String bracket, String context, String why) {
    return new TargetSyntaxException("bad host range '" + bracket + "' in '" + context + "': " + why, bracket);
  }

  @Override
  public long size() {
    long n = 1;
    for (Object p : parts) {
      if (p instanceof List<?> choice) {
        n *= choice.stream().mapToLong(r -> ((Range) r).size()).sum();
      }
    }
    return n;
  }

  @Override
  public Iterator<String> iterator() {
    long total = size();
    return new Iterator<>() {
      private long next;

      @Override
      public boolean hasNext() {
        return next < total;
      }

      @Override
      public String next() {
        if (next >= total) {
          throw new NoSuchElementException();
        }
        return name(next++);
      }
    };
  }

  /** The {@code index}-th host, decoding the index in mixed radix (last bracket fastest). */
  @SuppressWarnings("unchecked")
  private String name(long index) {
    String[] out = new String[parts.size()];
    for (int k = parts.size() - 1; k >= 0; k--) {
      Object p = parts.get(k);
      if (p instanceof String s) {
        out[k] = s;
        continue;
      }
      List<Range> choice = (List<Range>) p;
      long count = choice.stream().mapToLong(Range::size).sum();
      long digit = index % count;
      index /= count;
      for (Range r : choice) {
        if (digit < r.size()) {
          out[k] = r.format(r.start() + digit);
          break;
        }
        digit -= r.size();
      }
    }
    return String.join("", out);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof String s) {
        b.append(s);
        continue;
      }
      b.append('[');
      List<?> choice = (List<?>) p;
      for (int i = 0; i < choice.size(); i++) {
        Range r = (Range) choice.get(i);
        b.append(i > 0 ? "," : "").append(r.format(r.start()));
        if (r.end() > r.start()) {
          b.append('-').append(r.format(r.end()));
        }
      }
      b.append(']');
    }
    return b.toString();
  }
}
