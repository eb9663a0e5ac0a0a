package dev.sessionhub.hub.client;

import java.net.HttpURLConnection;

/**
 * Lets a call's deadline cut its connection while the worker is still sending the request or waiting for the
 * response headers.
 *
 * <p>Why: until the headers are complete, {@code HttpURLConnection} reads and writes the socket itself, so
 * {@link BoundedResponseStream} cannot check the deadline, and a server that trickles its headers (or never
 * reads a large request) would hold the worker for as long as it likes; the read timeout only bounds the gap
 * between two bytes. Closing the connection from another thread frees the worker at once in that phase. Once
 * the headers are in, {@link #headersDone()} disarms the abort: from then on the response stream enforces the
 * deadline, and {@code disconnect()} could block on the stream's lock. The monitor makes "still before the
 * body?" and the disconnect one step. Call {@link #abort()} from a worker thread, never from an event loop.
 */
final class ConnectionAbort {

  private HttpURLConnection connection;
  private boolean beforeBody = true;
  private boolean aborted;

  /** The worker is about to use {@code c}; refuses if the deadline has already passed. */
  synchronized void attach(HttpURLConnection c) throws ResponseLimitException {
    if (aborted) {
      throw new ResponseLimitException(AgentCallException.Kind.TIMEOUT, "deadline passed before connecting");
    }
    connection = c;
  }

  /** The response headers are complete (or failed): the abort no longer applies. */
  synchronized void headersDone() {
    beforeBody = false;
  }

  /** The deadline passed: closes the connection if the worker is still before the response body. */
  synchronized void abort() {
    aborted = true;
    if (beforeBody && connection != null) {
      connection.disconnect();
    }
  }
}
