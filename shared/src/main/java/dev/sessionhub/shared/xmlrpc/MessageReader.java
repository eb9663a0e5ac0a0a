package dev.sessionhub.shared.xmlrpc;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the envelopes {@code <methodCall>} and {@code <methodResponse>} around the values.
 *
 * <p>Why separate from {@link ValueReader}: the envelope rules (required method name, optional
 * params, exactly one response param, fault structs) are a different concern from value mapping,
 * and fault structs deliberately bypass value decoding for members other than
 * {@code faultCode}/{@code faultString} (e.g. a Java server's serialized {@code faultCause}
 * blob is skipped, never deserialized).
 */
final class MessageReader {
  private final XmlCursor cursor;
  private final ValueReader values;

  MessageReader(XmlCursor cursor, int maxDepth) {
    this.cursor = cursor;
    this.values = new ValueReader(cursor, maxDepth);
  }

  MethodCall readCall() throws XmlRpcCodecException {
    expectRoot("methodCall");
    String methodName = null;
    List<Object> params = null;
    for (String child; (child = cursor.nextChild("methodCall")) != null; ) {
      if (child.equals("methodName") && methodName == null) {
        methodName = cursor.text(child).strip();
      } else if (child.equals("params") && params == null) {
        params = readParams();
      } else {
        throw ValueReader.unexpected(child, "methodCall");
      }
    }
    cursor.finish();
    if (methodName == null) {
      throw new XmlRpcCodecException(FaultCode.INVALID_REQUEST, "missing <methodName>");
    }
    if (methodName.isEmpty()) {
      throw new XmlRpcCodecException(FaultCode.INVALID_REQUEST, "empty <methodName>");
    }
    return new MethodCall(methodName, params);
  }

  XmlRpcResponse readResponse() throws XmlRpcCodecException {
    expectRoot("methodResponse");
    XmlRpcResponse response = null;
    for (String child; (child = cursor.nextChild("methodResponse")) != null; ) {
      if (response != null) {
        throw ValueReader.unexpected(child, "methodResponse");
      } else if (child.equals("params")) {
        List<Object> params = readParams();
        if (params.size() > 1) {
          throw new XmlRpcCodecException(
              FaultCode.INVALID_REQUEST, "a response carries one <param>, got " + params.size());
        }
        response = XmlRpcResponse.success(params.isEmpty() ? null : params.get(0));
      } else if (child.equals("fault")) {
        response = XmlRpcResponse.failure(readFault());
      } else {
        throw ValueReader.unexpected(child, "methodResponse");
      }
    }
    cursor.finish();
    if (response == null) {
      throw new XmlRpcCodecException(
          FaultCode.INVALID_REQUEST, "<methodResponse> needs <params> or <fault>");
    }
    return response;
  }

  private void expectRoot(String expected) throws XmlRpcCodecException {
    String root = cursor.root();
    if (!root.equals(expected)) {
      throw new XmlRpcCodecException(
          FaultCode.INVALID_REQUEST, "expected <" + expected + "> but found <" + root + ">");
    }
  }

  /** {@code <params>(<param><value>..</value></param>)*</params>}. */
  private List<Object> readParams() throws XmlRpcCodecException {
    List<Object> params = new ArrayList<>();
    for (String child; (child = cursor.nextChild("params")) != null; ) {
      if (!child.equals("param")) {
        throw ValueReader.unexpected(child, "params");
      }
      String inner = cursor.nextChild("param");
      if (inner == null || !inner.equals("value")) {
        throw new XmlRpcCodecException(FaultCode.INVALID_REQUEST, "<param> needs one <value>");
      }
      params.add(values.readValue(0));
      String extra = cursor.nextChild("param");
      if (extra != null) {
        throw ValueReader.unexpected(extra, "param");
      }
    }
    return params;
  }

  /** {@code <fault><value><struct>..faultCode/faultString..</struct></value></fault>}. */
  private XmlRpcFault readFault() throws XmlRpcCodecException {
    if (!"value".equals(cursor.nextChild("fault")) || !"struct".equals(cursor.nextChild("value"))) {
      throw new XmlRpcCodecException(
          FaultCode.INVALID_REQUEST, "<fault> must contain <value><struct>");
    }
    Object code = null;
    Object message = null;
    for (String child; (child = cursor.nextChild("struct")) != null; ) {
      if (!child.equals("member")) {
        throw ValueReader.unexpected(child, "struct");
      }
      String name = null;
      for (String part; (part = cursor.nextChild("member")) != null; ) {
        if (part.equals("name") && name == null) {
          name = cursor.text(part);
        } else if (part.equals("value") && "faultCode".equals(name)) {
          code = values.readValue(1);
        } else if (part.equals("value") && "faultString".equals(name)) {
          message = values.readValue(1);
        } else {
          cursor.skip(); // other members, or a value before its name: never interpreted
        }
      }
    }
    if (cursor.nextChild("value") != null || cursor.nextChild("fault") != null) {
      throw new XmlRpcCodecException(FaultCode.INVALID_REQUEST, "<fault> holds one struct");
    }
    return new XmlRpcFault(faultCode(code), faultString(message));
  }

  /**
   * The fault message: a string as sent, another scalar as its text; nil, base64, arrays and structs give "" (as
   * {@code String.valueOf} they would print identity hashes, different on every decode).
   */
  private static String faultString(Object message) {
    return message instanceof String || message instanceof Number || message instanceof Boolean
        || message instanceof LocalDateTime ? String.valueOf(message) : "";
  }

  private static int faultCode(Object code) {
    if (code instanceof Integer i) {
      return i;
    }
    if (code instanceof Long l && l == l.intValue()) {
      return l.intValue();
    }
    return FaultCode.INTERNAL_ERROR.code();
  }
}
