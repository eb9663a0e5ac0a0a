package dev.sessionhub.hub.impl.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body that fails once it exceeds its byte limit or its call's deadline.
 *
 * <p>Why: the socket read timeout only bounds the gap between two packets, so an agent (or anything listening on
 * a scanned port) that trickles one byte per second, or streams forever, would hold a worker thread and the
 * hub's memory without end. Checking the deadline before every read frees the worker at most one inter-byte gap
 * after the deadline; counting bytes caps what the parser ever sees.
 */
final class BoundedResponseStream extends FilterInputStream {

  private final long maxBytes;
  private final Deadline deadline;
  private final String url;
  private long count;

  BoundedResponseStream(InputStream in, long maxBytes, Deadline deadline, String url) {
    super(in);
    this.maxBytes = maxBytes;
    this.deadline = deadline;
    this.url = url;
  }

  @Override
  public int read() throws IOException {
    checkDeadline();
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    checkDeadline();
    // Never read more than one byte past the limit, so a huge body is not buffered before it is refused.
    long allowed = maxBytes - count + 1;
    int n = super.read(buf, off, (int) Math.min(len, Math.max(1, allowed)));
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    checkDeadline();
    long skipped = super.skip(Math.min(n, maxBytes - count + 1));
    if (skipped > 0) {
      counted(skipped);
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void checkDeadline() throws ResponseLimitException {
    if (deadline.expired()) {
      throw new ResponseLimitException(AgentCallException.Kind.TIMEOUT,
          "no answer from " + url + " within " + deadline.timeoutMillis() + " ms");
    }
  }

  private void counted(long n) throws ResponseLimitException {
    count += n;
    if (count > maxBytes) {
      throw new ResponseLimitException(AgentCallException.Kind.PROTOCOL, "response exceeds " + maxBytes + " bytes");
    }
  }
}
