package dev.sessionhub.hub.client;

import java.io.Closeable;
import java.io.IOException;

/**
 * Lets a call's deadline timer cut the call's connection, whatever the worker is blocked in (connect, TLS
 * handshake, sending, waiting for or reading the answer). A cut connection is never kept.
 */
final class ConnectionAbort {

  private Closeable connection;
  private boolean aborted;

  /** The worker is about to use {@code c}; refuses if the deadline has already passed. */
  synchronized void attach(Closeable c) throws ResponseLimitException {
    if (aborted) {
      throw new ResponseLimitException(AgentCallException.Kind.TIMEOUT, "deadline passed before connecting");
    }
    connection = c;
  }

  synchronized boolean aborted() {
    return aborted;
  }

  /** The deadline passed: closes the connection. */
  synchronized void abort() {
    aborted = true;
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
