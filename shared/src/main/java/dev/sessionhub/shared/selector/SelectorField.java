package dev.sessionhub.shared.selector;

import java.util.Locale;
import java.util.Optional;

/**
 * The fields a selector term can test, each typed as its lower-case {@link #key()} ({@code TAG} is typed
 * {@code tag.<key>}).
 *
 * <p>Fields that name programs, machines and people ({@code app, exe, host, user, source}) match without regard
 * to case, because users type them from memory; the others (scene objects, files, tags, ids) are compared
 * exactly, as the applications that produce them do.
 */
public enum SelectorField {
  APP(true), EXE(true), HOST(true), OBJECT(false), TAG(false), FILE(false), PORT(false), ID(false),
  USER(true), SOURCE(true), NAME(false);

  private final boolean caseInsensitive;
  private final String key;

  SelectorField(boolean caseInsensitive) {
    this.caseInsensitive = caseInsensitive;
    this.key = name().toLowerCase(Locale.ROOT);
  }

  /** The field as typed in a selector, e.g. {@code app}; {@code tag} for {@link #TAG}. */
  public String key() {
    return key;
  }

  /** Whether globs on this field ignore case. */
  public boolean caseInsensitive() {
    return caseInsensitive;
  }

  /**
   * The field typed as {@code key}, ignoring case; {@code "tag"} gives {@link #TAG} (the tag key itself is the
   * parser's business).
   */
  public static Optional<SelectorField> byKey(String key) {
    if (key == null) {
      return Optional.empty();
    }
    String lower = key.toLowerCase(Locale.ROOT);
    for (SelectorField f : values()) {
      if (f.key.equals(lower)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
