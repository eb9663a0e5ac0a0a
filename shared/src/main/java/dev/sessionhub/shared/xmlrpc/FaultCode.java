package dev.sessionhub.shared.xmlrpc;

import java.util.Optional;

/**
 * The numeric {@code faultCode} values SessionHub puts on the wire.
 *
 * <p>Why: XML-RPC clients only ever see an integer, so the codes must be stable and follow what
 * those clients already know: {@code 1} for an exception raised by user code (what Python's own
 * {@code SimpleXMLRPCServer} sends), the de-facto "fault code interoperability" range
 * {@code -32700..-32600} for protocol errors, and SessionHub's own codes in the server-defined
 * {@code -32001..-32099} range.
 */
public enum FaultCode {
  /** An exception raised by user code; Python's own server uses 1. */
  APPLICATION_ERROR(1),
  /** The body is not well-formed XML 1.0 (or not UTF-8, or carries a DOCTYPE). */
  PARSE_ERROR(-32700),
  /** Well-formed XML that is not a valid XML-RPC message (or breaks a size/depth limit). */
  INVALID_REQUEST(-32600),
  /** No such method. */
  METHOD_NOT_FOUND(-32601),
  /** The method exists but the parameters do not fit. */
  INVALID_PARAMS(-32602),
  /** A failure inside the server itself. */
  INTERNAL_ERROR(-32603),
  /** The session is already executing a command. */
  SESSION_BUSY(-32001),
  /** The command did not finish in time. */
  COMMAND_TIMEOUT(-32002),
  /** The caller is not allowed to do this (hub). */
  UNAUTHORIZED(-32003),
  /** The addressed session or object does not exist (hub). */
  NOT_FOUND(-32004),
  /** The addressed session's agent cannot be reached (hub). */
  UNREACHABLE(-32005),
  /** Nobody can tell how the command ended (its hub left mid-call, or its result is not readable here) (hub). */
  OUTCOME_UNKNOWN(-32006),
  /** The command was cancelled (removed from the queue, or interrupted) before it could finish. */
  COMMAND_CANCELLED(-32007),
  /** The request conflicts with the state of what it addresses (e.g. cancelling a job that already ended). */
  CONFLICT(-32008);

  private static final FaultCode[] VALUES = values();

  private final int code;

  FaultCode(int code) {
    this.code = code;
  }

  /** The integer sent as {@code faultCode}. */
  public int code() {
    return code;
  }

  /** The constant whose {@link #code()} is {@code code}, if any. */
  public static Optional<FaultCode> of(int code) {
    for (FaultCode candidate : VALUES) {
      if (candidate.code == code) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
