package dev.sessionhub.hub.impl.inventory;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import dev.sessionhub.shared.selector.Glob;
import dev.sessionhub.shared.selector.Selector;
import dev.sessionhub.shared.selector.SelectorField;
import dev.sessionhub.shared.selector.SelectorTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Translates a {@link Selector} into a Hazelcast predicate over the stored JSON's {@code q} block, so members
 * filter (and use indexes) where the data lives.
 *
 * <p>The translation may select more than the selector does, never less: a term it cannot express exactly
 * (character classes, odd tag keys, negated globs) becomes "true", and the {@link Inventory} always checks the
 * results against the selector itself. So the selector's semantics live in one place, {@code shared}.
 */
public final class SelectorPredicates {

  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private SelectorPredicates() {
  }

  public static Predicate<String, HazelcastJsonValue> of(Selector selector) {
    List<Predicate<String, HazelcastJsonValue>> parts = new ArrayList<>();
    for (SelectorTerm term : selector.terms()) {
      Predicate<String, HazelcastJsonValue> p = term(term);
      if (p != null) {
        parts.add(p);
      }
    }
    if (parts.isEmpty()) {
      return Predicates.alwaysTrue();
    }
    return parts.size() == 1 ? parts.get(0) : Predicates.and(parts.toArray(Predicate[]::new));
  }

  private static Predicate<String, HazelcastJsonValue> term(SelectorTerm term) {
    String attribute = attribute(term);
    if (attribute == null) {
      return null;
    }
    boolean lower = term.field().caseInsensitive();
    List<Predicate<String, HazelcastJsonValue>> alternatives = new ArrayList<>();
    for (String glob : term.globs()) {
      boolean literal = Glob.compile(glob, lower).isLiteral();
      if (term.negated() && (!literal || unescape(glob).isEmpty())) {
        return null;
      }
      Predicate<String, HazelcastJsonValue> p = literal
          ? Predicates.equal(attribute, normalise(unescape(glob), lower))
          : like(attribute, glob, lower);
      if (p == null) {
        return null;
      }
      alternatives.add(p);
    }
    Predicate<String, HazelcastJsonValue> any = alternatives.size() == 1 ? alternatives.get(0)
        : Predicates.or(alternatives.toArray(Predicate[]::new));
    return term.negated() ? Predicates.not(any) : any;
  }

  private static String attribute(SelectorTerm term) {
    SelectorField f = term.field();
    return switch (f) {
      case HOST -> "q.host[any]";
      case OBJECT -> "q.object[any]";
      case TAG -> SIMPLE_KEY.matcher(term.tagKey()).matches() ? "q.tag." + term.tagKey() : null;
      default -> "q." + f.key();
    };
  }

  /** A glob of {@code *}, {@code ?} and literal characters as a LIKE pattern; null when it has classes. */
  static Predicate<String, HazelcastJsonValue> like(String attribute, String glob, boolean lower) {
    StringBuilder pattern = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> pattern.append('%');
        case '?' -> pattern.append('_');
        case '[' -> {
          return null;
        }
        case '\\' -> {
          if (++i < glob.length()) {
            appendLiteral(pattern, glob.charAt(i));
          }
        }
        default -> appendLiteral(pattern, c);
      }
    }
    String text = normalise(pattern.toString(), lower);
    return Predicates.like(attribute, text);
  }

  private static void appendLiteral(StringBuilder pattern, char c) {
    if (c == '%' || c == '_' || c == '\\') {
      pattern.append('\\');
    }
    pattern.append(c);
  }

  private static String unescape(String glob) {
    StringBuilder out = new StringBuilder(glob.length());
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        c = glob.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String normalise(String s, boolean lower) {
    return lower ? s.toLowerCase(Locale.ROOT) : s;
  }
}
