package dev.sessionhub.shared.xmlrpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A decoded {@code <methodCall>}: the method name and its parameters in order.
 *
 * <p>Why immutable: calls are handed across threads (HTTP event loop to session executor), so the
 * parameter list is copied into an unmodifiable list. Parameters may be {@code null} (nil).
 *
 * @param methodName the non-empty method name
 * @param params the decoded parameter values (unmodifiable; null becomes empty)
 */
public record MethodCall(String methodName, List<Object> params) {

  /** Copies {@code params} into an unmodifiable list. */
  public MethodCall {
    Objects.requireNonNull(methodName, "methodName");
    params = params == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(params));
  }
}
