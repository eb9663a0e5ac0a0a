package dev.sessionhub.hub.impl.inventory;

import io.vertx.core.json.JsonObject;

/** A change in the inventory, as streamed to SSE clients: a session came up, changed, or went down (and why). */
public record SessionEvent(Type type, SessionRecord session, String reason) {

  public enum Type {
    UP, CHANGED, DOWN;

    public String wire() {
      return name().toLowerCase();
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type.wire()).put("session", SessionRecordJson.toApi(session));
    if (reason != null) {
      json.put("reason", reason);
    }
    return json;
  }
}
