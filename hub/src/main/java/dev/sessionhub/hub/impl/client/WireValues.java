package dev.sessionhub.hub.impl.client;

import dev.sessionhub.hub.impl.client.AgentCallException.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts call parameters to the XML-RPC types every agent understands.
 *
 * <p>Why: with extensions off the Apache client refuses {@code Long} and {@code null}, and Python's clients
 * refuse ints beyond 32 bits, so the hub sends only int, string, boolean, double, base64, dateTime, struct and
 * array. A {@code Long} (or {@code BigInteger}) that fits 32 bits becomes an int, a bigger one a decimal string;
 * {@code null} and unknown types fail with PROTOCOL before anything is sent.
 */
final class WireValues {

  private WireValues() {
  }

  static List<Object> params(List<Object> params) {
    if (params == null) {
      return List.of();
    }
    List<Object> out = new ArrayList<>(params.size());
    for (Object p : params) {
      out.add(value(p));
    }
    return out;
  }

  static Object value(Object v) {
    if (v == null) {
      throw new AgentCallException(Kind.PROTOCOL, "null cannot be sent to an agent (XML-RPC has no nil)");
    }
    if (v instanceof Integer || v instanceof String || v instanceof Boolean || v instanceof Double
        || v instanceof byte[] || v instanceof Date) {
      return v;
    }
    if (v instanceof Short || v instanceof Byte) {
      return ((Number) v).intValue();
    }
    if (v instanceof Long l) {
      return l == l.intValue() ? (Object) l.intValue() : l.toString();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 32 ? (Object) b.intValue() : b.toString();
    }
    if (v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Character) {
      return v.toString();
    }
    if (v instanceof JsonObject json) {
      return value(json.getMap());
    }
    if (v instanceof JsonArray json) {
      return value(json.getList());
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new AgentCallException(Kind.PROTOCOL, "struct keys must be strings, got " + e.getKey());
        }
        out.put(key, value(e.getValue()));
      }
      return out;
    }
    if (v instanceof Collection<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(value(o));
      }
      return out;
    }
    if (v instanceof Object[] array) {
      return value(Arrays.asList(array));
    }
    throw new AgentCallException(Kind.PROTOCOL, "cannot send a " + v.getClass().getName() + " to an agent");
  }
}
