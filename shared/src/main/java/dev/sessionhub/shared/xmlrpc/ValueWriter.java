package dev.sessionhub.shared.xmlrpc;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * Writes Java values as XML-RPC {@code <value>} elements into a {@link StringBuilder}.
 *
 * <p>Why it never throws: it encodes whatever user code returned, so a value it cannot represent
 * must still produce a valid response. Unknown types become their {@code String.valueOf}; a
 * container nested deeper than the depth limit becomes the string {@value #TOO_DEEP}; a container
 * that contains itself becomes {@value #RECURSIVE} (a depth cap alone would let a list holding
 * itself twice expand 2^depth times); and a value whose {@code toString}, iteration etc. throws is
 * rolled back and replaced by a short description string.
 */
final class ValueWriter {
  static final String TOO_DEEP = "<nested too deep>";
  static final String RECURSIVE = "<recursive reference>";

  private final StringBuilder out;
  private final int maxDepth;
  private Object[] path = new Object[8]; // path[i]: the container open at depth i

  ValueWriter(StringBuilder out, int maxDepth) {
    this.out = out;
    this.maxDepth = maxDepth;
  }

  /** Writes {@code <value>..</value>} for {@code v} at {@code depth} enclosing containers. */
  void writeValue(Object v, int depth) {
    out.append("<value>");
    int mark = out.length();
    try {
      writeBody(v, depth);
    } catch (RuntimeException | StackOverflowError e) {
      out.setLength(mark);
      String type = v == null ? "null" : v.getClass().getName();
      writeString("<unencodable " + type + ": " + e.getClass().getSimpleName() + ">");
    }
    out.append("</value>");
  }

  private void writeBody(Object v, int depth) {
    if (v == null) {
      out.append("<nil/>");
    } else if (v instanceof String s) {
      writeString(s);
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      out.append("<int>").append(((Number) v).intValue()).append("</int>");
    } else if (v instanceof Long l) {
      writeInteger(l, l == l.intValue());
    } else if (v instanceof Boolean b) {
      out.append(b ? "<boolean>1</boolean>" : "<boolean>0</boolean>");
    } else if (v instanceof Double d) {
      writeDouble(d, Double.toString(d));
    } else if (v instanceof Float f) {
      writeDouble(f, Float.toString(f));
    } else if (v instanceof BigInteger big) {
      writeInteger(big, big.bitLength() < 32);
    } else if (v instanceof BigDecimal big) {
      double d = big.doubleValue();
      writeDouble(d, Double.toString(d));
    } else if (v instanceof CharSequence cs) {
      writeString(cs);
    } else if (v instanceof Character c) {
      writeString(String.valueOf(c.charValue()));
    } else if (v instanceof byte[] bytes) {
      out.append("<base64>").append(Base64.getEncoder().encodeToString(bytes)).append("</base64>");
    } else if (v instanceof Map<?, ?> || v instanceof Collection<?> || v.getClass().isArray()) {
      writeContainer(v, depth);
    } else if (v instanceof LocalDateTime t) {
      writeDateTime(t);
    } else if (v instanceof Instant t) {
      writeInstant(t);
    } else if (v instanceof Date d) {
      writeInstant(Instant.ofEpochMilli(d.getTime())); // java.sql.Date rejects toInstant()
    } else if (v instanceof Enum<?> e) {
      writeString(e.name());
    } else if (v instanceof Optional<?> o) {
      writeBody(o.orElse(null), depth);
    } else {
      writeString(String.valueOf(v));
    }
  }

  private void writeInteger(Number n, boolean fitsInt) {
    String tag = fitsInt ? "int>" : "i8>";
    out.append('<').append(tag).append(n).append("</").append(tag);
  }

  /** Python spells the non-finite values {@code nan}, {@code inf} and {@code -inf}. */
  private void writeDouble(double d, String finiteText) {
    String text = Double.isNaN(d) ? "nan"
        : d == Double.POSITIVE_INFINITY ? "inf"
        : d == Double.NEGATIVE_INFINITY ? "-inf" : finiteText;
    out.append("<double>").append(text).append("</double>");
  }

  private void writeString(CharSequence s) {
    out.append("<string>");
    XmlEscaper.append(out, s);
    out.append("</string>");
  }

  private void writeDateTime(LocalDateTime t) {
    out.append("<dateTime.iso8601>");
    DateTimes.format(t, out);
    out.append("</dateTime.iso8601>");
  }

  private void writeInstant(Instant t) {
    LocalDateTime utc;
    try {
      utc = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    } catch (DateTimeException outOfRange) {
      writeString(t.toString());
      return;
    }
    writeDateTime(utc);
  }

  private void writeContainer(Object container, int depth) {
    if (depth >= maxDepth) {
      writeString(TOO_DEEP);
      return;
    }
    for (int i = 0; i < depth; i++) {
      if (path[i] == container) {
        writeString(RECURSIVE);
        return;
      }
    }
    if (depth == path.length) {
      path = java.util.Arrays.copyOf(path, path.length * 2);
    }
    path[depth] = container;
    if (container instanceof Map<?, ?> map) {
      writeStruct(map, depth + 1);
    } else if (container instanceof Collection<?> items) {
      out.append("<array><data>");
      for (Object item : items) {
        writeValue(item, depth + 1);
      }
      out.append("</data></array>");
    } else {
      out.append("<array><data>");
      int length = Array.getLength(container);
      for (int i = 0; i < length; i++) {
        writeValue(Array.get(container, i), depth + 1);
      }
      out.append("</data></array>");
    }
  }

  private void writeStruct(Map<?, ?> map, int childDepth) {
    out.append("<struct>");
    for (Map.Entry<?, ?> member : map.entrySet()) {
      out.append("<member><name>");
      XmlEscaper.append(out, String.valueOf(member.getKey()));
      out.append("</name>");
      writeValue(member.getValue(), childDepth);
      out.append("</member>");
    }
    out.append("</struct>");
  }
}
