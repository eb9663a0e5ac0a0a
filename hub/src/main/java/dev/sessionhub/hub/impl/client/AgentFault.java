package dev.sessionhub.hub.impl.client;

import org.apache.xmlrpc.XmlRpcException;

/**
 * A fault answered by an agent, carrying only its code and string.
 *
 * <p>Why a subclass: {@link FailureMapper} must tell an answered fault from the library's own {@link
 * XmlRpcException}s (which wrap I/O and parse errors with code 0) by type, not by message or code. It never has
 * a cause: the agent's {@code faultCause} is dropped unread (see {@link FaultSafeResponseParser}).
 */
final class AgentFault extends XmlRpcException {

  private static final long serialVersionUID = 1L;

  AgentFault(int code, String message) {
    super(code, message);
  }
}
