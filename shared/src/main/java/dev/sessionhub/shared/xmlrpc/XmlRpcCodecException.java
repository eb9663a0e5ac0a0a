package dev.sessionhub.shared.xmlrpc;

import java.util.Objects;

/**
 * The input could not be decoded as an XML-RPC message.
 *
 * <p>Why a checked exception with a {@link FaultCode}: every decoding problem, whatever its cause
 * (malformed XML, hostile constructs, limits, bad values), must end up as exactly one well-defined
 * fault for the caller, so servers can answer with {@link #toFault()} and nothing else leaks out.
 * The code is always {@link FaultCode#PARSE_ERROR} (not well-formed / not allowed XML) or
 * {@link FaultCode#INVALID_REQUEST} (well-formed but not acceptable XML-RPC).
 */
public final class XmlRpcCodecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FaultCode code;

  /**
   * @param code {@link FaultCode#PARSE_ERROR} or {@link FaultCode#INVALID_REQUEST}
   * @param message what was wrong, safe to show to the remote caller
   */
  public XmlRpcCodecException(FaultCode code, String message) {
    this(code, message, null);
  }

  XmlRpcCodecException(FaultCode code, String message, Throwable cause) {
    super(message == null ? "" : message, cause);
    Objects.requireNonNull(code, "code");
    if (code != FaultCode.PARSE_ERROR && code != FaultCode.INVALID_REQUEST) {
      throw new IllegalArgumentException("codec errors are PARSE_ERROR or INVALID_REQUEST, not " + code);
    }
    this.code = code;
  }

  /** {@link FaultCode#PARSE_ERROR} or {@link FaultCode#INVALID_REQUEST}. */
  public FaultCode code() {
    return code;
  }

  /** The fault to answer with. */
  public XmlRpcFault toFault() {
    return XmlRpcFault.of(code, getMessage());
  }
}
