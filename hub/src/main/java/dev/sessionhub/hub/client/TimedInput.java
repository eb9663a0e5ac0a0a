package dev.sessionhub.hub.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A connection's socket input, read against the current call's {@link Deadline}: a read from the socket fails with
 * TIMEOUT once the deadline has passed, and a read blocked at the deadline is cut by the call's {@link
 * ConnectionAbort} (its timer closes the channel). It sits under the connection's buffer, so only reads that reach
 * the socket pay for the check.
 *
 * <p>Why no socket read timeout: on a socket channel's adaptor, a timed read switches the descriptor to
 * non-blocking and back around a poll (five system calls instead of one); an agent call's reads are already
 * bounded by the abort timer, and the eight {@code fcntl} calls per agent call this saved were a fifth of a
 * broadcast's system time.
 */
final class TimedInput extends FilterInputStream {

  private Deadline deadline;
  private String from;

  TimedInput(InputStream socketInput) {
    super(socketInput);
  }

  /** The call that reads next, and its peer for messages. */
  void readFor(Deadline deadline, String from) {
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

  /** Only bytes already buffered above count; whether the socket has more is asked without this. */
  @Override
  public int available() {
    return 0;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void beforeRead() throws IOException {
    if (deadline == null) {
      throw new IllegalStateException("a read without a call's deadline");
    }
    if (deadline.expired()) {
      throw new ResponseLimitException(AgentCallException.Kind.TIMEOUT,
          "no answer from " + from + " within " + deadline.timeoutMillis() + " ms");
    }
  }
}
