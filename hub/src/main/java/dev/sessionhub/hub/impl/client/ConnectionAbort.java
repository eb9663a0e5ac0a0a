package dev.sessionhub.hub.impl.client;

import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Lets a call's deadline timer cut the call's HTTP exchange, whatever the worker is blocked in (waiting for a
 * pooled connection, connect, TLS handshake, sending, waiting for or reading the answer): cancelling the request
 * closes its connection, which is then never kept.
 */
final class ConnectionAbort {

  private Cancellable exchange;
  private boolean aborted;

  /** The worker is about to send {@code c}; refuses if the deadline has already passed. */
  synchronized void attach(Cancellable c) throws ResponseLimitException {
    if (aborted) {
      throw new ResponseLimitException(AgentCallException.Kind.TIMEOUT, "deadline passed before connecting");
    }
    exchange = c;
  }

  synchronized boolean aborted() {
    return aborted;
  }

  /** The deadline passed: cancels the exchange. */
  synchronized void abort() {
    aborted = true;
    if (exchange != null) {
      exchange.cancel();
    }
  }
}
