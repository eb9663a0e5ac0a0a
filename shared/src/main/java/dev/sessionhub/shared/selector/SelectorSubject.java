package dev.sessionhub.shared.selector;

import java.util.Collection;

/**
 * What a selector is evaluated against: anything that can list its values per {@link SelectorField}.
 *
 * <p>Kept as a tiny interface so the hub can adapt its inventory entries without copying them, and tests can
 * use lambdas.
 */
@FunctionalInterface
public interface SelectorSubject {

  /**
   * All values this subject has for a field ({@code tagKey} only for {@link SelectorField#TAG}, else null).
   * Never null; empty if none.
   */
  Collection<String> values(SelectorField field, String tagKey);
}
