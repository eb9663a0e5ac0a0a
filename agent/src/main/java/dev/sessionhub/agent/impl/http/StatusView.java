package dev.sessionhub.agent.impl.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Renders an agent's status: {@code GET /status} as JSON (server_data plus counters) and {@code GET /} as the
 * small HTML page that takes the place of the add-on's "Server Panel". Never includes the token.
 */
public final class StatusView {

  private StatusView() {
  }

  public static JsonObject json(Map<String, Object> serverData, Map<String, Object> counters) {
    JsonObject json = new JsonObject();
    serverData.forEach((k, v) -> json.put(k, toJson(v)));
    counters.forEach(json::put);
    return json;
  }

  private static Object toJson(Object v) {
    if (v instanceof List<?> l) {
      return new JsonArray(new java.util.ArrayList<>(l));
    }
    if (v instanceof Map<?, ?> m) {
      JsonObject o = new JsonObject();
      m.forEach((k, val) -> o.put(String.valueOf(k), val));
      return o;
    }
    return v;
  }

  public static String html(Map<String, Object> serverData, Map<String, Object> counters) {
    StringBuilder page = new StringBuilder(2048);
    page.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>SessionHub agent :")
        .append(serverData.get("port"))
        .append("</title><style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse}td,th{padding:4px 12px;border-bottom:1px solid #ddd;"
            + "text-align:left;vertical-align:top}th{color:#666;font-weight:500}</style></head><body>")
        .append("<h1>Server Panel</h1><p>XML-RPC server running. Call <code>server_data()</code> and ")
        .append("<code>command(code)</code> at <code>/</code> or <code>/RPC2</code>; JSON at ")
        .append("<a href=\"/status\">/status</a>.</p><table>");
    serverData.forEach((k, v) -> row(page, k, v));
    counters.forEach((k, v) -> row(page, k, v));
    return page.append("</table></body></html>").toString();
  }

  private static void row(StringBuilder page, String key, Object value) {
    page.append("<tr><th>").append(escape(key)).append("</th><td>").append(escape(String.valueOf(value)))
        .append("</td></tr>");
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
