package dev.sessionhub.hub.client;

/**
 * A last check before a call leaves for its agent, made on the caller's context once the call has its slot and
 * its connection, right before the request is written. It must not block (an event loop asks). A refused call fails with {@link AgentCallException.Kind#NOT_SENT} and never reaches the agent.
 */
@FunctionalInterface
public interface SendGate {

  /** Sends every call. */
  SendGate OPEN = () -> null;

  /** Why the call must not be sent now, or null to send it. */
  String refusal();
}
