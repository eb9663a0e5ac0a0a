package dev.sessionhub.hub.impl.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON trees as plain maps and lists, the values the XML-RPC codec writes. */
public final class PlainValues {

  private PlainValues() {
  }

  public static Object of(Object value) {
    if (value instanceof JsonObject o) {
      Map<String, Object> map = new LinkedHashMap<>();
      o.forEach(e -> map.put(e.getKey(), of(e.getValue())));
      return map;
    }
    if (value instanceof JsonArray a) {
      List<Object> list = new ArrayList<>(a.size());
      a.forEach(v -> list.add(of(v)));
      return list;
    }
    if (value instanceof Map<?, ?> m) {
      return of(new JsonObject(new LinkedHashMap<>(castMap(m))));
    }
    if (value instanceof List<?> l) {
      return of(new JsonArray(new ArrayList<>(l)));
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
