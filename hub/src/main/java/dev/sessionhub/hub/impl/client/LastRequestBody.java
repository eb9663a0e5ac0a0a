package dev.sessionhub.hub.impl.client;

import java.util.List;
import java.util.Objects;
import org.apache.xmlrpc.XmlRpcRequest;

/**
 * The XML body of the last request a worker thread wrote, kept to be sent again as it is when the next request
 * is the same call: a broadcast sends one {@code command(code, timeout)} to every target, and writing its XML
 * afresh for each was a tenth of an agent call's CPU.
 *
 * <p>Only calls whose parameters are immutable scalars (string, int, double, boolean) are kept, and a body is
 * reused only for an equal method name, encoding and parameter list; anything else is written as usual. One per
 * thread, so no locking; the bytes are never handed out for writing.
 */
final class LastRequestBody {

  private static final ThreadLocal<LastRequestBody> PER_THREAD = ThreadLocal.withInitial(LastRequestBody::new);

  private String method;
  private String encoding;
  private List<Object> params;
  private byte[] body;

  private LastRequestBody() {
  }

  static LastRequestBody ofThisThread() {
    return PER_THREAD.get();
  }

  /** The body written for an equal request before, or null. */
  byte[] reusableFor(XmlRpcRequest request, String requestEncoding) {
    if (body == null || !request.getMethodName().equals(method) || !Objects.equals(requestEncoding, encoding)
        || request.getParameterCount() != params.size()) {
      return null;
    }
    for (int i = 0; i < params.size(); i++) {
      if (!params.get(i).equals(request.getParameter(i))) {
        return null;
      }
    }
    return body;
  }

  /** Keeps {@code written} as the body of {@code request}, if its parameters allow. */
  void remember(XmlRpcRequest request, String requestEncoding, byte[] written) {
    Object[] copy = new Object[request.getParameterCount()];
    for (int i = 0; i < copy.length; i++) {
      Object p = request.getParameter(i);
      if (!(p instanceof String || p instanceof Integer || p instanceof Double || p instanceof Boolean)) {
        body = null;
        return;
      }
      copy[i] = p;
    }
    method = request.getMethodName();
    encoding = requestEncoding;
    params = List.of(copy);
    body = written;
  }
}
