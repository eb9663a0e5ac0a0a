package dev.sessionhub.shared.xmlrpc;

import java.util.Objects;

/**
 * Thrown by dispatch code to answer a call with a specific fault instead of a value.
 *
 * <p>Why: method implementations deep in the agent or hub need a way to choose the exact
 * {@code faultCode} the client sees (e.g. {@link FaultCode#SESSION_BUSY}); the server catches this
 * and encodes {@link #fault()} with {@link XmlRpcCodec#encodeFault(XmlRpcFault)}.
 */
public final class XmlRpcFaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  /** A fault with one of SessionHub's well-known codes. */
  public XmlRpcFaultException(FaultCode code, String message) {
    this(Objects.requireNonNull(code, "code").code(), message);
  }

  /** A fault with an arbitrary code (e.g. relayed from another server). */
  public XmlRpcFaultException(int code, String message) {
    super(message == null ? "" : message);
    this.code = code;
  }

  /** The fault to send back. */
  public XmlRpcFault fault() {
    return new XmlRpcFault(code, getMessage());
  }

  /** The numeric fault code. */
  public int code() {
    return code;
  }
}
