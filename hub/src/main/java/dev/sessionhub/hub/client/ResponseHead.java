package dev.sessionhub.hub.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP response's status line and headers, read with a cap on their size. Header names are kept lower-case;
 * a repeated header keeps its last value except that {@code Content-Length} values must agree.
 */
record ResponseHead(int majorMinor, int status, Map<String, String> headers) {

  /** HTTP/1.1 as {@link #majorMinor()}. */
  static final int HTTP_11 = 11;

  /**
   * Reads the head. End of stream before the first byte is a {@link SocketException} (the agent closed without
   * answering); anything that is not HTTP/1.x, or a head over {@code maxBytes}, is a {@link ResponseLimitException}.
   */
  static ResponseHead read(InputStream in, int maxBytes, String from) throws IOException {
    String statusLine = line(in, maxBytes, from, true);
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
      throw protocol("not an HTTP/1.x response from " + from);
    }
    int minor = statusLine.charAt(7) - '0';
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw protocol("bad HTTP status line from " + from);
    }
    if (minor < 0 || minor > 9 || status < 100) {
      throw protocol("bad HTTP status line from " + from);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int used = statusLine.length();
    while (true) {
      String line = line(in, maxBytes - used, from, false);
      used += line.length() + 2;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw protocol("bad HTTP header line from " + from);
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      String earlier = headers.put(name, value);
      if (name.equals("content-length") && earlier != null && !earlier.equals(value)) {
        throw protocol("conflicting Content-Length headers from " + from);
      }
    }
    return new ResponseHead(10 + minor, status, headers);
  }

  String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  boolean chunked() {
    String te = header("transfer-encoding");
    return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
  }

  /** The Content-Length, -1 if absent; a malformed one is a protocol error. */
  long contentLength(String from) throws ResponseLimitException {
    String value = header("content-length");
    if (value == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(value);
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException ignored) {
      // below
    }
    throw protocol("bad Content-Length from " + from + ": " + value);
  }

  /** Whether the agent lets the connection carry another request. */
  boolean keepsAlive() {
    String connection = header("connection");
    String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
    return majorMinor >= HTTP_11 ? !c.contains("close") : c.contains("keep-alive");
  }

  private static String line(InputStream in, int maxBytes, String from, boolean first) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (first && line.size() == 0) {
          throw new SocketException(AgentCallException.CLOSED_UNANSWERED);
        }
        throw protocol("the response from " + from + " ended inside its headers");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > maxBytes) {
        throw protocol("response headers from " + from + " exceed " + maxBytes + " bytes");
      }
    }
  }

  private static ResponseLimitException protocol(String message) {
    return new ResponseLimitException(AgentCallException.Kind.PROTOCOL, message);
  }
}
