package dev.sessionhub.hub.impl.client;

/**
 * A last check before a call leaves for its agent, made by the worker that is about to send it (after any wait
 * for a worker). A refused call fails with {@link AgentCallException.Kind#NOT_SENT} and never reaches the agent.
 */
@FunctionalInterface
public interface SendGate {

  /** Sends every call. */
  SendGate OPEN = () -> null;

  /** Why the call must not be sent now, or null to send it. */
  String refusal();
}
