package dev.sessionhub.shared.selector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A compiled shell-style wildcard pattern: {@code *} any run of characters, {@code ?} one character,
 * {@code [abc]} / {@code [a-z]} / {@code [!a-z]} (or {@code [^a-z]}) character classes, {@code \} escapes the next
 * character. The whole string must match.
 *
 * <p>Compiled once, then immutable and thread-safe. A pattern without wildcards is a plain (or case-ignoring)
 * {@code equals}; otherwise matching is the linear-backtracking wildcard algorithm (no regex, so no
 * catastrophic backtracking on hostile patterns). Characters are compared as code points.
 */
public final class Glob {
  private static final int STAR = -1;
  private static final int ANY = -2;
  private static final int CLASS0 = -3; // class k is encoded as CLASS0 - k

  private final String pattern;
  private final boolean caseInsensitive;
  private final String literal; // the unescaped text when the pattern has no wildcards, else null
  private final int[] ops;
  private final int[][] classes; // per class: {negated, lo0, hi0, lo1, hi1, ...}

  /**
   * Compiles {@code pattern}.
   *
   * @throws IllegalArgumentException if the pattern has an unclosed or empty class, a reversed range or a
   *     dangling {@code \}
   */
  public static Glob compile(String pattern, boolean caseInsensitive) {
    return new Glob(Objects.requireNonNull(pattern, "pattern"), caseInsensitive);
  }

  private Glob(String p, boolean ci) {
    this.pattern = p;
    this.caseInsensitive = ci;
    int[] out = new int[p.length()];
    int m = 0;
    boolean wild = false;
    List<int[]> cls = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < p.length()) {
      int c = p.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\\') {
        if (i >= p.length()) {
          throw new BadGlob("dangling '\\' at end of value", " (write \\\\ for a literal '\\')");
        }
        c = p.codePointAt(i);
        i += Character.charCount(c);
        out[m++] = fold(c);
        lit.appendCodePoint(c);
      } else if (c == '*') {
        wild = true;
        if (m == 0 || out[m - 1] != STAR) {
          out[m++] = STAR;
        }
      } else if (c == '?') {
        wild = true;
        out[m++] = ANY;
      } else if (c == '[') {
        wild = true;
        i = parseClass(p, i, cls);
        out[m++] = CLASS0 - (cls.size() - 1);
      } else {
        out[m++] = fold(c);
        lit.appendCodePoint(c);
      }
    }
    this.ops = Arrays.copyOf(out, m);
    this.classes = cls.toArray(new int[0][]);
    this.literal = wild ? null : lit.toString();
  }

  /** Parses a class whose '[' ends just before {@code i}; returns the index after its ']'. */
  private static int parseClass(String p, int i, List<int[]> cls) {
    int open = i - 1;
    List<Integer> ranges = new ArrayList<>();
    boolean negated = i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^');
    if (negated) {
      i++;
    }
    while (true) {
      if (i >= p.length()) {
        throw new BadGlob("unclosed '['", " (write \\[ for a literal '[')");
      }
      int itemStart = i;
      int lo = p.codePointAt(i);
      if (lo == ']') {
        i++;
        break;
      }
      i += Character.charCount(lo);
      if (lo == '\\') {
        if (i >= p.length()) {
          throw new BadGlob("unclosed '['", " (write \\[ for a literal '[')");
        }
        lo = p.codePointAt(i);
        i += Character.charCount(lo);
      }
      int hi = lo;
      if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
        i++;
        hi = p.codePointAt(i);
        i += Character.charCount(hi);
        if (hi == '\\' && i < p.length()) {
          hi = p.codePointAt(i);
          i += Character.charCount(hi);
        }
        if (hi < lo) {
          throw new BadGlob("bad character range '" + p.substring(itemStart, i) + "'", ": start is after end");
        }
      }
      ranges.add(lo);
      ranges.add(hi);
    }
    if (ranges.isEmpty()) {
      throw new BadGlob("empty character class '" + p.substring(open, i) + "'", "");
    }
    int[] c = new int[ranges.size() + 1];
    c[0] = negated ? 1 : 0;
    for (int k = 0; k < ranges.size(); k++) {
      c[k + 1] = ranges.get(k);
    }
    cls.add(c);
    return i;
  }

  /** Whether the whole of {@code s} matches; false for null. */
  public boolean matches(String s) {
    if (s == null) {
      return false;
    }
    if (literal != null) {
      return caseInsensitive ? literal.equalsIgnoreCase(s) : literal.equals(s);
    }
    int n = s.length();
    int m = ops.length;
    int si = 0;
    int pi = 0;
    int starPi = -1;
    int starSi = 0;
    while (si < n) {
      if (pi < m && ops[pi] == STAR) {
        starPi = pi++;
        starSi = si;
        continue;
      }
      int c = s.codePointAt(si);
      if (pi < m && matchOne(ops[pi], c)) {
        si += Character.charCount(c);
        pi++;
      } else if (starPi >= 0) {
        pi = starPi + 1;
        starSi += Character.charCount(s.codePointAt(starSi));
        si = starSi;
      } else {
        return false;
      }
    }
    while (pi < m && ops[pi] == STAR) {
      pi++;
    }
    return pi == m;
  }

  /** Whether this pattern has no wildcards (matching is then a plain equals). */
  public boolean isLiteral() {
    return literal != null;
  }

  private boolean matchOne(int op, int c) {
    if (op >= 0) {
      return op == fold(c);
    }
    if (op == ANY) {
      return true;
    }
    int[] cl = classes[CLASS0 - op];
    boolean in = inClass(cl, c)
        || caseInsensitive && (inClass(cl, Character.toLowerCase(c)) || inClass(cl, Character.toUpperCase(c)));
    return in != (cl[0] == 1);
  }

  private static boolean inClass(int[] cl, int c) {
    for (int k = 1; k < cl.length; k += 2) {
      if (c >= cl[k] && c <= cl[k + 1]) {
        return true;
      }
    }
    return false;
  }

  private int fold(int c) {
    return caseInsensitive ? Character.toLowerCase(Character.toUpperCase(c)) : c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Glob g && g.pattern.equals(pattern) && g.caseInsensitive == caseInsensitive;
  }

  @Override
  public int hashCode() {
    return pattern.hashCode() * 31 + (caseInsensitive ? 1 : 0);
  }

  /** The pattern as given. */
  @Override
  public String toString() {
    return pattern;
  }
}
