package dev.sessionhub.hub.impl.client;

import java.util.List;

/**
 * One queued call, as the worker thread runs it: skip it if the caller already gave up or its {@link SendGate}
 * refuses it now, else make the blocking call and hand the outcome to the {@link PendingCall}.
 */
final class CallTask implements Runnable {

  private final PendingCall pending;
  private final XmlRpcInvoker invoker;
  private final CallConfig config;
  private final String method;
  private final List<Object> params;
  private final SendGate gate;

  CallTask(PendingCall pending, XmlRpcInvoker invoker, CallConfig config, String method, List<Object> params,
      SendGate gate) {
    this.gate = gate;
    this.pending = pending;
    this.invoker = invoker;
    this.config = config;
    this.method = method;
    this.params = params;
  }

  PendingCall pending() {
    return pending;
  }

  @Override
  public void run() {
    if (pending.isDone()) {
      return;
    }
    if (config.deadline().expired()) {
      return; // never sent: the call's own timer, due now, fails it as such
    }
    String refusal = gate.refusal();
    if (refusal != null) {
      pending.fail(new AgentCallException(AgentCallException.Kind.NOT_SENT, refusal));
      return;
    }
    pending.sending();
    try {
      pending.succeed(invoker.invoke(config, method, params));
    } catch (AgentCallException e) {
      pending.fail(e);
    }
  }
}
