package dev.sessionhub.shared.selector;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One term of a {@link Selector}: a field, its glob alternatives and an optional negation, e.g.
 * {@code !app=maya,houdini}.
 *
 * <p>The term holds when any of the subject's values for the field matches any glob; a negated term holds when
 * none does. The globs are compiled when the term is built, so evaluation does no parsing.
 *
 * @param field the field tested
 * @param tagKey the tag key for {@link SelectorField#TAG}, else null
 * @param globs the alternatives, at least one, none empty; kept as given except that a bare {@code "} is
 *     escaped (same match) so the term prints parseably. The returned list is immutable
 * @param negated whether the term was written {@code !field=...} or {@code field!=...}
 */
public record SelectorTerm(SelectorField field, String tagKey, List<String> globs, boolean negated) {

  /**
   * @throws IllegalArgumentException if a tag term lacks a usable key, a non-tag term has one, or the globs are
   *     missing, empty or malformed
   */
  public SelectorTerm {
    Objects.requireNonNull(field, "field");
    if (field == SelectorField.TAG) {
      if (tagKey == null || tagKey.isEmpty() || tagKey.endsWith("!")
          || tagKey.chars().anyMatch(c -> c == '=' || c == '"' || c == '\\' || Character.isWhitespace(c))) {
        throw new IllegalArgumentException("bad tag key '" + tagKey + "'");
      }
    } else if (tagKey != null) {
      throw new IllegalArgumentException("only a tag term has a tag key");
    }
    globs = GlobList.of(globs, field.caseInsensitive());
  }

  /** Whether this term holds for {@code subject}. */
  public boolean matches(SelectorSubject subject) {
    Collection<String> values = subject.values(field, tagKey);
    GlobList g = (GlobList) globs;
    boolean any = false;
    for (String v : values) {
      if (v != null && g.matchesAny(v)) {
        any = true;
        break;
      }
    }
    return any != negated;
  }

  /** The canonical text, e.g. {@code !app=maya,houdini} or {@code file="/shows/my show/*"}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    if (negated) {
      b.append('!');
    }
    b.append(field == SelectorField.TAG ? "tag." + tagKey : field.key()).append('=');
    for (int i = 0; i < globs.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      appendGlob(b, globs.get(i));
    }
    return b.toString();
  }

  /** Appends a glob so that the parser reads it back unchanged: quoted if it has a bare space or comma. */
  private static void appendGlob(StringBuilder b, String glob) {
    StringBuilder body = new StringBuilder();
    boolean quote = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        body.append(c).append(glob.charAt(++i));
      } else {
        quote |= c == ',' || Character.isWhitespace(c);
        body.append(c);
      }
    }
    b.append(quote ? "\"" + body + "\"" : body.toString());
  }
}
