package dev.sessionhub.hub.client;

import java.util.List;

/**
 * The XML body of the last request a thread wrote, kept to be sent again as it is when the next request
 * is the same call: a broadcast sends one {@code command(code, timeout)} to every target, and writing its XML
 * afresh for each was a tenth of an agent call's CPU.
 *
 * <p>Only calls whose parameters are immutable scalars (string, int, double, boolean) are kept, and a body is
 * reused only for an equal method name and parameter list; anything else is written as usual. One per
 * thread, so no locking; the bytes are never handed out for writing.
 */
final class LastRequestBody {

  private static final ThreadLocal<LastRequestBody> PER_THREAD = ThreadLocal.withInitial(LastRequestBody::new);

  private String method;
  private List<Object> params;
  private byte[] body;

  private LastRequestBody() {
  }

  static LastRequestBody ofThisThread() {
    return PER_THREAD.get();
  }

  /** The body written for an equal request before, or null. */
  byte[] reusableFor(String requestMethod, List<Object> requestParams) {
    if (body == null || !requestMethod.equals(method) || requestParams.size() != params.size()) {
      return null;
    }
    for (int i = 0; i < params.size(); i++) {
      if (!params.get(i).equals(requestParams.get(i))) {
        return null;
      }
    }
    return body;
  }

  /** Keeps {@code written} as the body of {@code requestMethod(requestParams)}, if its parameters allow. */
  void remember(String requestMethod, List<Object> requestParams, byte[] written) {
    Object[] copy = new Object[requestParams.size()];
    for (int i = 0; i < copy.length; i++) {
      Object p = requestParams.get(i);
      if (!(p instanceof String || p instanceof Integer || p instanceof Double || p instanceof Boolean)) {
        body = null;
        return;
      }
      copy[i] = p;
    }
    method = requestMethod;
    params = List.of(copy);
    body = written;
  }
}
