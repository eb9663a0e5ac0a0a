package dev.sessionhub.hub.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A connection's input read against a call's {@link Deadline}: each read fails with TIMEOUT once the deadline
 * has passed, and the socket's read timeout is kept at what is left of it, so no single read outlives the call.
 */
final class TimedInput extends FilterInputStream {

  private final AgentConnection connection;
  private final Deadline deadline;
  private final String from;
  private int timeoutSet = -1;

  TimedInput(AgentConnection connection, Deadline deadline, String from) {
    super(connection.in());
    this.connection = connection;
    this.deadline = deadline;
    this.from = from;
  }

  @Override
  public int read() throws IOException {
    beforeRead();
    return super.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    beforeRead();
    return super.read(b, off, len);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void beforeRead() throws IOException {
    if (deadline.expired()) {
      throw new ResponseLimitException(AgentCallException.Kind.TIMEOUT,
          "no answer from " + from + " within " + deadline.timeoutMillis() + " ms");
    }
    int left = deadline.remainingSocketMillis();
    if (timeoutSet < 0 || left < timeoutSet - 5) {
      connection.readTimeout(left);
      timeoutSet = left;
    }
  }
}
