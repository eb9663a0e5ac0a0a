package dev.sessionhub.shared.xmlrpc;

import java.util.Objects;

/**
 * A decoded {@code <methodResponse>}: either a value (possibly {@code null} for nil) or a fault.
 *
 * <p>Why one type for both: callers (the hub, tests) always need to branch on success vs. fault,
 * and a fault is a normal answer in XML-RPC, not an exception.
 *
 * @param value the returned value; always null when {@code fault} is set
 * @param fault the fault, or null on success
 */
public record XmlRpcResponse(Object value, XmlRpcFault fault) {

  /** Enforces that a fault response carries no value. */
  public XmlRpcResponse {
    if (fault != null && value != null) {
      throw new IllegalArgumentException("a fault response carries no value");
    }
  }

  /** A successful response carrying {@code v} (may be null). */
  public static XmlRpcResponse success(Object v) {
    return new XmlRpcResponse(v, null);
  }

  /** A fault response. */
  public static XmlRpcResponse failure(XmlRpcFault f) {
    return new XmlRpcResponse(null, Objects.requireNonNull(f, "fault"));
  }

  /** Whether this response is a fault. */
  public boolean isFault() {
    return fault != null;
  }
}
