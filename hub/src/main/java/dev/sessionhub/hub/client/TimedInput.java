package dev.sessionhub.hub.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A connection's socket input, read against the current call's {@link Deadline}: each read from the socket fails
 * with TIMEOUT once the deadline has passed, and the socket's read timeout is kept at what is left of it, so no
 * single read outlives the call. It sits under the connection's buffer, so only reads that reach the socket pay
 * for the check.
 */
final class TimedInput extends FilterInputStream {

  private final Socket socket;
  private Deadline deadline;
  private String from;
  private int timeoutSet = -1;

  TimedInput(InputStream socketInput, Socket socket) {
    super(socketInput);
    this.socket = socket;
  }

  /** The call that reads next, and its peer for messages. */
  void readFor(Deadline deadline, String from) {
    this.deadline = deadline;
    this.from = from;
    this.timeoutSet = -1;
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
    int left = deadline.remainingSocketMillis();
    if (timeoutSet < 0 || left < timeoutSet - 5) {
      socket.setSoTimeout(left);
      timeoutSet = left;
    }
  }
}
