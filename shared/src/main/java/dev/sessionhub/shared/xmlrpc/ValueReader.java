package dev.sessionhub.shared.xmlrpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one XML-RPC {@code <value>} (recursively) from an {@link XmlCursor} into plain Java
 * objects.
 *
 * <p>Why: this is the single place that knows the value grammar and the Java mapping (int/i4 to
 * Integer, i8 to Long, struct to an ordered LinkedHashMap, array to ArrayList, nil to null, bare
 * text to String, ...), and the single place that enforces the nesting limit, so recursion depth is
 * bounded by {@link CodecLimits#maxDepth()} whatever the input.
 */
final class ValueReader {
  private final XmlCursor cursor;
  private final int maxDepth;

  ValueReader(XmlCursor cursor, int maxDepth) {
    this.cursor = cursor;
    this.maxDepth = maxDepth;
  }

  /**
   * Reads the content of a {@code <value>} whose start tag was just consumed, through its end tag.
   *
   * @param depth how many structs/arrays enclose this value (0 for a parameter)
   */
  Object readValue(int depth) throws XmlRpcCodecException {
    String text = cursor.textUntilTag();
    if (!cursor.atStart()) {
      return text; // <value>text</value>, <value></value> and <value/> are strings
    }
    if (!XmlCursor.isBlank(text)) {
      throw new XmlRpcCodecException(
          FaultCode.INVALID_REQUEST, "text mixed with <" + cursor.name() + "> in <value>");
    }
    Object value = readTyped(cursor.name(), depth);
    String after = cursor.nextChild("value");
    if (after != null) {
      throw new XmlRpcCodecException(
          FaultCode.INVALID_REQUEST, "more than one type in <value>: <" + after + ">");
    }
    return value;
  }

  private Object readTyped(String type, int depth) throws XmlRpcCodecException {
    switch (type) {
      case "string":
        return cursor.text(type);
      case "int":
      case "i4":
        return Scalars.parseInt(cursor.text(type));
      case "i8":
        return Scalars.parseI8(cursor.text(type));
      case "boolean":
        return Scalars.parseBoolean(cursor.text(type));
      case "double":
        return Scalars.parseDouble(cursor.text(type));
      case "dateTime.iso8601":
        return DateTimes.parse(cursor.text(type));
      case "base64":
        return Scalars.parseBase64(cursor.text(type));
      case "nil":
        if (!XmlCursor.isBlank(cursor.text(type))) {
          throw new XmlRpcCodecException(FaultCode.INVALID_REQUEST, "<nil> must be empty");
        }
        return null;
      case "struct":
        checkDepth(depth);
        return readStruct(depth + 1);
      case "array":
        checkDepth(depth);
        return readArray(depth + 1);
      default:
        throw new XmlRpcCodecException(
            FaultCode.INVALID_REQUEST, "unknown value type <" + type + ">");
    }
  }

  private void checkDepth(int depth) throws XmlRpcCodecException {
    if (depth >= maxDepth) {
      throw new XmlRpcCodecException(FaultCode.INVALID_REQUEST,
          "value nesting exceeds the limit of " + maxDepth + " struct/array levels");
    }
  }

  private Map<String, Object> readStruct(int depth) throws XmlRpcCodecException {
    Map<String, Object> struct = new LinkedHashMap<>();
    for (String child; (child = cursor.nextChild("struct")) != null; ) {
      if (!child.equals("member")) {
        throw unexpected(child, "struct");
      }
      readMember(struct, depth);
    }
    return struct;
  }

  private void readMember(Map<String, Object> struct, int depth) throws XmlRpcCodecException {
    String name = null;
    Object value = null;
    boolean hasValue = false;
    for (String child; (child = cursor.nextChild("member")) != null; ) {
      if (child.equals("name") && name == null) {
        name = cursor.text(child);
      } else if (child.equals("value") && !hasValue) {
        value = readValue(depth);
        hasValue = true;
      } else {
        throw unexpected(child, "member");
      }
    }
    if (name == null || !hasValue) {
      throw new XmlRpcCodecException(FaultCode.INVALID_REQUEST,
          "struct <member> needs one <name> and one <value>");
    }
    struct.put(name, value);
  }

  private List<Object> readArray(int depth) throws XmlRpcCodecException {
    List<Object> array = new ArrayList<>();
    boolean seenData = false;
    for (String child; (child = cursor.nextChild("array")) != null; ) {
      if (!child.equals("data") || seenData) {
        throw unexpected(child, "array");
      }
      seenData = true;
      for (String item; (item = cursor.nextChild("data")) != null; ) {
        if (!item.equals("value")) {
          throw unexpected(item, "data");
        }
        array.add(readValue(depth));
      }
    }
    return array;
  }

  static XmlRpcCodecException unexpected(String child, String parent) {
    return new XmlRpcCodecException(
        FaultCode.INVALID_REQUEST, "unexpected <" + child + "> in <" + parent + ">");
  }
}
