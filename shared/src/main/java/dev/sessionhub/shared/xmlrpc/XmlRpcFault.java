package dev.sessionhub.shared.xmlrpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fault value as it travels on the wire: an integer code and a message.
 *
 * <p>Why a plain {@code int} rather than {@link FaultCode}: faults decoded from other servers may
 * carry any code, and it must survive unchanged. A {@code null} message is normalised to "".
 */
public record XmlRpcFault(int code, String message) {

  /** Normalises a null message to the empty string. */
  public XmlRpcFault {
    message = message == null ? "" : message;
  }

  /** A fault carrying one of SessionHub's well-known codes. */
  public static XmlRpcFault of(FaultCode code, String message) {
    return new XmlRpcFault(Objects.requireNonNull(code, "code").code(), message);
  }

  /** The fault as the XML-RPC struct {@code {faultCode, faultString}} (unmodifiable, ordered). */
  public Map<String, Object> toStruct() {
    Map<String, Object> struct = new LinkedHashMap<>(4);
    struct.put("faultCode", code);
    struct.put("faultString", message);
    return Collections.unmodifiableMap(struct);
  }
}
