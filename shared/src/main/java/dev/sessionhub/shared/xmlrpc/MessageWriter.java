package dev.sessionhub.shared.xmlrpc;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes complete XML-RPC documents: calls, successful responses and fault responses, as UTF-8.
 *
 * <p>Why separate from {@link ValueWriter}: the envelopes are fixed text around values; keeping
 * them here keeps the value mapping in one place and the document layout (which mirrors what
 * Python's {@code xmlrpc.client.dumps} produces) in another.
 */
final class MessageWriter {
  private static final String DECLARATION = "<?xml version=\"1.0\"?>\n";

  private MessageWriter() {}

  static byte[] call(String methodName, List<?> params, int maxDepth) {
    StringBuilder out = new StringBuilder(256).append(DECLARATION).append("<methodCall>\n<methodName>");
    XmlEscaper.append(out, methodName == null ? "" : methodName);
    out.append("</methodName>\n<params>\n");
    ValueWriter values = new ValueWriter(out, maxDepth);
    for (Object param : snapshot(params)) {
      out.append("<param>");
      values.writeValue(param, 0);
      out.append("</param>\n");
    }
    return out.append("</params>\n</methodCall>\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] response(Object value, int maxDepth) {
    StringBuilder out = new StringBuilder(256).append(DECLARATION)
        .append("<methodResponse>\n<params>\n<param>");
    new ValueWriter(out, maxDepth).writeValue(value, 0);
    return out.append("</param>\n</params>\n</methodResponse>\n")
        .toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] fault(int code, String message) {
    StringBuilder out = new StringBuilder(256).append(DECLARATION)
        .append("<methodResponse>\n<fault>\n<value><struct>\n")
        .append("<member><name>faultCode</name><value><int>").append(code)
        .append("</int></value></member>\n")
        .append("<member><name>faultString</name><value><string>");
    XmlEscaper.append(out, message == null ? "" : message);
    return out.append("</string></value></member>\n</struct></value>\n</fault>\n</methodResponse>\n")
        .toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Object[] snapshot(List<?> params) {
    if (params == null) {
      return new Object[0];
    }
    try {
      return params.toArray();
    } catch (RuntimeException e) {
      return new Object[] {"<unencodable parameters: " + e.getClass().getSimpleName() + ">"};
    }
  }
}
