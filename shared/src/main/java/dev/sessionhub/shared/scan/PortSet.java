package dev.sessionhub.shared.scan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * A set of TCP ports 1-65535, written {@code 8000}, {@code 8000-8099} or a list {@code 8000,8002,8010-8020}.
 *
 * <p>Stored as sorted, merged ranges (never one object per port) and iterated in ascending order. Immutable;
 * {@link #toString()} is the canonical list, which {@link #parse} reads back to an equal set.
 */
public final class PortSet implements Iterable<Integer> {
  private final int[] lo;
  private final int[] hi;
  private final int size;

  private PortSet(int[] lo, int[] hi) {
    this.lo = lo;
    this.hi = hi;
    int n = 0;
    for (int i = 0; i < lo.length; i++) {
      n += hi[i] - lo[i] + 1;
    }
    this.size = n;
  }

  /**
   * Parses a port list.
   *
   * @throws TargetSyntaxException naming the bad item
   */
  public static PortSet parse(String spec) throws TargetSyntaxException {
    return parse(spec == null ? "" : spec.strip(), spec == null ? "" : spec.strip());
  }

  /** The ports {@code first} to {@code last} inclusive. */
  public static PortSet range(int first, int last) {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("bad port range " + first + "-" + last);
    }
    return new PortSet(new int[] {first}, new int[] {last});
  }

  /** Parses {@code spec}, quoting {@code context} (the whole target) in messages. */
  static PortSet parse(String spec, String context) throws TargetSyntaxException {
    if (spec.isEmpty()) {
      throw new TargetSyntaxException("missing ports in '" + context + "'", "");
    }
    List<int[]> ranges = new ArrayList<>();
    for (String item : spec.split(",", -1)) {
      if (item.isEmpty()) {
        throw new TargetSyntaxException("empty item in port list '" + spec + "' in '" + context + "'", spec);
      }
      int dash = item.indexOf('-');
      if (dash < 0) {
        int p = port(item, context);
        ranges.add(new int[] {p, p});
        continue;
      }
      String a = item.substring(0, dash);
      String b = item.substring(dash + 1);
      if (!digits(a) || !digits(b)) {
        throw new TargetSyntaxException("bad port range '" + item + "' in '" + context
            + "': write start-end, e.g. 8000-8099", item);
      }
      int first = port(a, context);
      int last = port(b, context);
      if (first > last) {
        throw new TargetSyntaxException("bad port range '" + item + "' in '" + context
            + "': start is after end", item);
      }
      ranges.add(new int[] {first, last});
    }
    ranges.sort((x, y) -> Integer.compare(x[0], y[0]));
    int[] lo = new int[ranges.size()];
    int[] hi = new int[ranges.size()];
    int n = 0;
    for (int[] r : ranges) {
      if (n > 0 && r[0] <= hi[n - 1] + 1) {
        hi[n - 1] = Math.max(hi[n - 1], r[1]);
      } else {
        lo[n] = r[0];
        hi[n++] = r[1];
      }
    }
    return new PortSet(Arrays.copyOf(lo, n), Arrays.copyOf(hi, n));
  }

  /** One decimal port 1-65535, quoting {@code context} in messages. */
  static int port(String s, String context) throws TargetSyntaxException {
    if (!digits(s)) {
      throw new TargetSyntaxException("bad port '" + s + "' in '" + context + "'", s);
    }
    int v = s.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(s);
    if (v < 1 || v > 65535) {
      throw new TargetSyntaxException("port " + s + " out of range 1-65535 in '" + context + "'", s);
    }
    return v;
  }

  private static boolean digits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The number of ports. */
  public int size() {
    return size;
  }

  /** Whether {@code p} is in the set. */
  public boolean contains(int p) {
    int i = Arrays.binarySearch(lo, p);
    int r = i >= 0 ? i : -i - 2;
    return r >= 0 && p <= hi[r];
  }

  /** The ports in ascending order, computed as iterated. */
  @Override
  public PrimitiveIterator.OfInt iterator() {
    return new PrimitiveIterator.OfInt() {
      private int range;
      private int next = lo.length > 0 ? lo[0] : 0;

      @Override
      public boolean hasNext() {
        return range < lo.length;
      }

      @Override
      public int nextInt() {
        if (range >= lo.length) {
          throw new NoSuchElementException();
        }
        int p = next;
        if (p < hi[range]) {
          next = p + 1;
        } else if (++range < lo.length) {
          next = lo[range];
        }
        return p;
      }
    };
  }

  /** The canonical list, e.g. {@code 8000,8002,8010-8020}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lo.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(lo[i]);
      if (hi[i] > lo[i]) {
        b.append('-').append(hi[i]);
      }
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortSet p && Arrays.equals(p.lo, lo) && Arrays.equals(p.hi, hi);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi);
  }
}
