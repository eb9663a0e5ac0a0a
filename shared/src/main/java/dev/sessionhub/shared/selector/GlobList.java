package dev.sessionhub.shared.selector;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The immutable glob texts of a {@link SelectorTerm}, carrying their compiled {@link Glob}s so that a record term
 * compiles once. Equal to any list with the same texts.
 */
final class GlobList extends AbstractList<String> implements RandomAccess {
  private final String[] texts;
  private final Glob[] globs;
  private final boolean caseInsensitive;

  private GlobList(String[] texts, Glob[] globs, boolean caseInsensitive) {
    this.texts = texts;
    this.globs = globs;
    this.caseInsensitive = caseInsensitive;
  }

  /** Reuses {@code texts} if already compiled the same way, else compiles each. */
  static GlobList of(List<String> texts, boolean caseInsensitive) {
    if (texts instanceof GlobList g && g.caseInsensitive == caseInsensitive) {
      return g;
    }
    if (texts == null || texts.isEmpty()) {
      throw new IllegalArgumentException("a selector term needs at least one glob");
    }
    String[] t = texts.toArray(new String[0]);
    Glob[] g = new Glob[t.length];
    for (int i = 0; i < t.length; i++) {
      if (Objects.requireNonNull(t[i], "glob").isEmpty()) {
        throw new IllegalArgumentException("empty glob in a selector term");
      }
      t[i] = escapeQuotes(t[i]);
      g[i] = Glob.compile(t[i], caseInsensitive);
    }
    return new GlobList(t, g, caseInsensitive);
  }

  /** Writes a bare '"' as '\"' (same match), so that the text prints and parses back unchanged. */
  private static String escapeQuotes(String glob) {
    if (glob.indexOf('"') < 0) {
      return glob;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        b.append(c).append(glob.charAt(++i));
      } else {
        b.append(c == '"' ? "\\\"" : String.valueOf(c));
      }
    }
    return b.toString();
  }

  /** Wraps globs the parser has already compiled from {@code texts}. */
  static GlobList ofCompiled(List<String> texts, List<Glob> globs, boolean caseInsensitive) {
    return new GlobList(texts.toArray(new String[0]), globs.toArray(new Glob[0]), caseInsensitive);
  }

  boolean matchesAny(String value) {
    for (Glob g : globs) {
      if (g.matches(value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String get(int index) {
    return texts[index];
  }

  @Override
  public int size() {
    return texts.length;
  }
}
