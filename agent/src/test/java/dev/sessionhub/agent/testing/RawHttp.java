package dev.sessionhub.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Speaks HTTP/1.x over a plain socket, byte for byte, so tests can send what no well-behaved client would:
 * broken XML, invalid UTF-8, lying headers, HTTP/1.0 requests.
 */
public final class RawHttp {

  /** Status line code, headers block and body of a response. */
  public record Response(int status, String headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {
  }

  public static Response post(int port, String path, byte[] body, String... extraHeaders) throws IOException {
    StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nContent-Type: text/xml\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n");
    for (String h : extraHeaders) {
      head.append(h).append("\r\n");
    }
    head.append("\r\n");
    return exchange(port, head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
  }

  public static Response post(int port, String xml, String... extraHeaders) throws IOException {
    return post(port, "/RPC2", xml.getBytes(StandardCharsets.UTF_8), extraHeaders);
  }

  public static Response get(int port, String path, String... extraHeaders) throws IOException {
    StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (String h : extraHeaders) {
      head.append(h).append("\r\n");
    }
    head.append("\r\n");
    return exchange(port, head.toString().getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
  }

  public static Response exchange(int port, byte[] head, byte[] body) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head);
        out.write(body);
        out.flush();
      } catch (IOException refusedMidBody) {
        // A server may answer (413) and stop reading before the body is sent; its answer is still there.
      }
      return read(socket.getInputStream());
    }
  }

  /** Reads one whole response (the server closes, or Content-Length says where it ends). */
  public static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int headerEnd = -1;
    int contentLength = -1;
    int n;
    while ((n = in.read(buf)) > 0) {
      all.write(buf, 0, n);
      byte[] sofar = all.toByteArray();
      if (headerEnd < 0) {
        headerEnd = indexOf(sofar, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headerEnd >= 0) {
          String headers = new String(sofar, 0, headerEnd, StandardCharsets.ISO_8859_1);
          for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
              contentLength = Integer.parseInt(line.substring(15).trim());
            }
          }
        }
      }
      if (headerEnd >= 0 && contentLength >= 0 && sofar.length >= headerEnd + 4 + contentLength) {
        break;
      }
    }
    byte[] bytes = all.toByteArray();
    if (headerEnd < 0) {
      throw new IOException("no HTTP response (got " + bytes.length + " bytes)");
    }
    String headers = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(headers.split(" ")[1]);
    int start = headerEnd + 4;
    int end = contentLength >= 0 ? Math.min(bytes.length, start + contentLength) : bytes.length;
    byte[] body = java.util.Arrays.copyOfRange(bytes, start, end);
    return new Response(status, headers, body);
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
