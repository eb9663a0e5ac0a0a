package dev.sessionhub.hub.impl.client;

import java.util.Objects;

/**
 * Why a call to an agent failed, as data: a closed {@link Kind}, the fault code for {@link Kind#FAULT}, and a
 * human message.
 *
 * <p>Why a kind and not subclasses or message text: jobs map each failure to exactly one terminal state ({@code
 * error}, {@code timeout}, {@code unreachable}) and the HTTP edge maps it to one status; both switch on the kind.
 * The message is for people only. No stack trace is filled in for {@link Kind#FAULT}: a fault is an answer, not
 * a bug in the hub.
 */
public final class AgentCallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * In the message of an {@link Kind#UNREACHABLE} call whose connection closed before any byte of an answer: what
   * an https agent does to a hub calling it over http.
   */
  public static final String CLOSED_UNANSWERED = "the agent closed the connection without answering";

  /** What went wrong, from the hub's point of view. */
  public enum Kind {
    /**
     * No connection could be made: refused, no route, reset, no answer to the connect within its timeout, or no
     * TLS session (the agent's certificate is not trusted or names another host, or it does not speak TLS). The
     * request was not sent.
     */
    UNREACHABLE,
    /**
     * Connected and the request went out (or may have), but the connection was closed or reset before an answer:
     * the agent may have run the call (it died while running it, say). Never "did not run".
     */
    NO_ANSWER,
    /** Connected, but no complete answer within the call's timeout. */
    TIMEOUT,
    /** The agent answered with an XML-RPC fault; see {@link #faultCode()}. */
    FAULT,
    /** The answer was not a usable XML-RPC response (HTTP status, malformed XML, DOCTYPE, too big, wrong type). */
    PROTOCOL,
    /** The hub has too many calls waiting for a worker (or the client is closed); the call was never sent. */
    OVERLOADED,
    /** The caller's {@link SendGate} refused the call right before it was sent: the agent never received it. */
    NOT_SENT
  }

  private final Kind kind;
  private final int faultCode;

  public AgentCallException(Kind kind, String message) {
    this(kind, 0, message, null);
  }

  public AgentCallException(Kind kind, String message, Throwable cause) {
    this(kind, 0, message, cause);
  }

  private AgentCallException(Kind kind, int faultCode, String message, Throwable cause) {
    super(message, cause, true, kind != Kind.FAULT);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.faultCode = faultCode;
  }

  /** A fault the agent answered: its {@code faultCode} and {@code faultString}, nothing else. */
  public static AgentCallException fault(int faultCode, String faultString) {
    return new AgentCallException(Kind.FAULT, faultCode, faultString == null ? "" : faultString, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The agent's {@code faultCode} for {@link Kind#FAULT}, else 0. */
  public int faultCode() {
    return faultCode;
  }

  @Override
  public String toString() {
    return kind == Kind.FAULT
        ? "AgentCallException[FAULT " + faultCode + "]: " + getMessage()
        : "AgentCallException[" + kind + "]: " + getMessage();
  }
}
