package dev.sessionhub.shared.selector;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed session query: space-separated terms that must all hold, e.g.
 * {@code app=blender host=render0* !tag.show=abc,xyz}. The one parser behind REST, XML-RPC, the CLI and the
 * dashboard, so every entry point accepts and reports the same thing.
 *
 * <p>Immutable and thread-safe; globs are compiled at parse time, so {@link #matches} is cheap enough to run over
 * a whole inventory. {@link #toString()} is canonical: {@code parse(s.toString())} equals {@code s}.
 */
public final class Selector {
  private static final Selector ALL = new Selector(List.of());

  private final List<SelectorTerm> terms;

  private Selector(List<SelectorTerm> terms) {
    this.terms = terms;
  }

  /**
   * Parses selector text; null, blank or {@code *} selects all.
   *
   * @throws SelectorSyntaxException with a user-facing message naming the offending term
   */
  public static Selector parse(String text) throws SelectorSyntaxException {
    return SelectorParser.parse(text);
  }

  /** The selector that selects every session. */
  public static Selector all() {
    return ALL;
  }

  /** A selector of the given terms (all must hold); no terms selects all. */
  public static Selector of(List<SelectorTerm> terms) {
    return terms.isEmpty() ? ALL : new Selector(List.copyOf(terms));
  }

  /** Whether this selector has no terms and so selects everything. */
  public boolean matchesAll() {
    return terms.isEmpty();
  }

  /** The terms, in the order typed. */
  public List<SelectorTerm> terms() {
    return terms;
  }

  /** Whether every term holds for {@code subject}. */
  public boolean matches(SelectorSubject subject) {
    for (SelectorTerm t : terms) {
      if (!t.matches(subject)) {
        return false;
      }
    }
    return true;
  }

  /** The canonical text: terms separated by one space, or {@code *} for all. */
  @Override
  public String toString() {
    return terms.isEmpty() ? "*" : terms.stream().map(SelectorTerm::toString).collect(Collectors.joining(" "));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Selector s && s.terms.equals(terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }
}
