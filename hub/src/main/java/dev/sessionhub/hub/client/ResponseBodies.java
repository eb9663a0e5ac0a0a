package dev.sessionhub.hub.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The framings of a response body: exactly Content-Length bytes, chunked, or until the agent closes (HTTP/1.0
 * without a length). Each reports whether it was read to its end, which is when a connection may be kept.
 */
final class ResponseBodies {

  private ResponseBodies() {
  }

  /** A body that knows when it has been read to its end. */
  abstract static class Body extends FilterInputStream {
    Body(InputStream in) {
      super(in);
    }

    abstract boolean atEnd();

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Closing a body leaves the connection open (the XML parser closes its input at the document's end). */
    @Override
    public void close() {
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  static Body fixedLength(InputStream in, long length) {
    return new FixedLength(in, length);
  }

  static Body chunked(InputStream in, int maxLineBytes) {
    return new Chunked(in, maxLineBytes);
  }

  static Body untilClose(InputStream in) {
    return new Body(in) {
      @Override
      boolean atEnd() {
        return false;
      }
    };
  }

  private static final class FixedLength extends Body {
    private long left;

    FixedLength(InputStream in, long length) {
      super(in);
      this.left = length;
    }

    @Override
    boolean atEnd() {
      return left == 0;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new ResponseLimitException(AgentCallException.Kind.PROTOCOL,
            "the response ended " + left + " bytes before its Content-Length");
      }
      left -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), left);
    }
  }

  /** Chunked transfer coding (RFC 9112 7.1): sizes in hex, extensions ignored, trailers skipped. */
  private static final class Chunked extends Body {
    private final int maxLineBytes;
    private long leftInChunk;
    private boolean done;

    Chunked(InputStream in, int maxLineBytes) {
      super(in);
      this.maxLineBytes = maxLineBytes;
    }

    @Override
    boolean atEnd() {
      return done;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (leftInChunk == 0) {
        leftInChunk = nextChunkSize();
        if (leftInChunk == 0) {
          while (!line().isEmpty()) {
            // trailers: skipped
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, leftInChunk));
      if (n < 0) {
        throw bad("the chunked response ended inside a chunk");
      }
      leftInChunk -= n;
      if (leftInChunk == 0 && !line().isEmpty()) {
        throw bad("no CRLF after a chunk");
      }
      return n;
    }

    private long nextChunkSize() throws IOException {
      String line = line();
      int semicolon = line.indexOf(';');
      String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
      if (hex.isEmpty() || hex.length() > 15) {
        throw bad("bad chunk size");
      }
      try {
        return Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw bad("bad chunk size");
      }
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw bad("the chunked response ended early");
        }
        if (c == '\n') {
          int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
          return line.substring(0, end);
        }
        line.append((char) c);
        if (line.length() > maxLineBytes) {
          throw bad("a chunk line exceeds " + maxLineBytes + " bytes");
        }
      }
    }

    private static ResponseLimitException bad(String message) {
      return new ResponseLimitException(AgentCallException.Kind.PROTOCOL, message);
    }
  }
}
