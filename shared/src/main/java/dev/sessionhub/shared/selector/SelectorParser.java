package dev.sessionhub.shared.selector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns selector text into a {@link Selector}. Terms are split on whitespace outside double quotes; a
 * {@code \x} pair is kept whole (the glob unescapes it), so {@code \"} and {@code \ } never end a quote or term.
 * Quotes are removed and protect spaces and commas; wildcards inside quotes still work.
 */
final class SelectorParser {
  /** The list of fields as shown in error messages. */
  static final String FIELDS = Arrays.stream(SelectorField.values())
      .map(f -> f == SelectorField.TAG ? "tag.<key>" : f.key())
      .collect(Collectors.joining(", "));

  private SelectorParser() {}

  static Selector parse(String text) throws SelectorSyntaxException {
    if (text == null) {
      return Selector.all();
    }
    List<SelectorTerm> terms = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (true) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      boolean quoted = false;
      while (i < n) {
        char c = text.charAt(i);
        if (c == '\\' && i + 1 < n) {
          i += 2;
          continue;
        }
        if (c == '"') {
          quoted = !quoted;
        } else if (!quoted && Character.isWhitespace(c)) {
          break;
        }
        i++;
      }
      String raw = text.substring(start, i);
      if (quoted) {
        throw error("unterminated quote", raw, start, " (a value that opens \" must close it)");
      }
      if (!raw.equals("*")) {
        terms.add(term(raw, start));
      }
    }
    return Selector.of(terms);
  }

  private static SelectorTerm term(String raw, int pos) throws SelectorSyntaxException {
    boolean negated = raw.startsWith("!");
    String body = negated ? raw.substring(1) : raw;
    if (body.startsWith("!")) {
      throw error("double negation", raw, pos, "");
    }
    int eq = topLevelEquals(body);
    if (eq < 0) {
      throw error("expected field=value", raw, pos, "");
    }
    String key = body.substring(0, eq);
    String value = body.substring(eq + 1);
    if (key.endsWith("!")) {
      if (negated || key.endsWith("!!")) {
        throw error("double negation", raw, pos, "");
      }
      negated = true;
      key = key.substring(0, key.length() - 1);
    }
    SelectorField field;
    String tagKey = null;
    String lower = key.toLowerCase(Locale.ROOT);
    if (key.isEmpty()) {
      throw error("missing field name", raw, pos, "; fields are " + FIELDS);
    } else if (key.indexOf('"') >= 0 || key.indexOf('\\') >= 0) {
      throw error("bad field name '" + key + "'", raw, pos, "; field names cannot be quoted or escaped");
    } else if (lower.startsWith("tag.")) {
      field = SelectorField.TAG;
      tagKey = key.substring(4);
      if (tagKey.isEmpty()) {
        throw error("missing tag key", raw, pos, "");
      }
    } else if (lower.equals("tag")) {
      throw error("missing tag key", raw, pos, "; write tag.<key>=value");
    } else {
      Optional<SelectorField> f = SelectorField.byKey(lower);
      if (f.isEmpty()) {
        throw error("unknown field '" + key + "'", raw, pos, "; fields are " + FIELDS);
      }
      field = f.get();
    }
    List<String> alternatives = alternatives(value);
    if (alternatives.size() == 1 && alternatives.get(0).isEmpty()) {
      throw error("empty value", raw, pos, "");
    }
    List<Glob> globs = new ArrayList<>(alternatives.size());
    for (String alt : alternatives) {
      if (alt.isEmpty()) {
        throw error("empty alternative", raw, pos, "; write a,b with a value on each side of the comma");
      }
      try {
        globs.add(Glob.compile(alt, field.caseInsensitive()));
      } catch (BadGlob e) {
        throw error(e.what, raw, pos, e.detail);
      }
    }
    return new SelectorTerm(field, tagKey, GlobList.ofCompiled(alternatives, globs, field.caseInsensitive()),
        negated);
  }

  /** The index of the first '=' outside quotes and escapes, or -1. */
  private static int topLevelEquals(String s) {
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '=' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /** Splits a value on commas outside quotes, removing the quotes and keeping escape pairs. */
  private static List<String> alternatives(String value) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        cur.append(c).append(value.charAt(++i));
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static SelectorSyntaxException error(String what, String term, int pos, String detail) {
    return new SelectorSyntaxException(what + " in '" + term + "'" + detail, pos, term);
  }
}
