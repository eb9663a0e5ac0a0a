package dev.sessionhub.shared.rpc;

import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import java.util.List;
import java.util.Map;

/** Checks the parameters of a call against what a method takes, with faults that say what was wrong. */
public final class Params {

  private Params() {
  }

  /** Fails unless there are between {@code min} and {@code max} parameters. */
  public static void arity(String method, List<Object> params, int min, int max) {
    if (params.size() < min || params.size() > max) {
      String wanted = min == max ? String.valueOf(min) : min + " to " + max;
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
          method + " takes " + wanted + " parameter" + (max == 1 ? "" : "s") + ", got " + params.size());
    }
  }

  /** Parameter {@code index} as a string. */
  public static String string(String method, List<Object> params, int index, String name) {
    Object value = params.get(index);
    if (value instanceof String s) {
      return s;
    }
    throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
        method + ": parameter '" + name + "' must be a string, got " + typeName(value));
  }

  /** Parameter {@code index} as a string, or {@code fallback} when absent or nil. */
  public static String optionalString(String method, List<Object> params, int index, String name,
      String fallback) {
    if (params.size() <= index || params.get(index) == null) {
      return fallback;
    }
    return string(method, params, index, name);
  }

  /** The XML-RPC type name of a decoded value, for messages. */
  public static String typeName(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Integer) {
      return "int";
    }
    if (value instanceof Long) {
      return "i8";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Double) {
      return "double";
    }
    if (value instanceof byte[]) {
      return "base64";
    }
    if (value instanceof Map) {
      return "struct";
    }
    if (value instanceof List) {
      return "array";
    }
    return "dateTime.iso8601";
  }
}
