package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.inventory.SessionRecord;
import dev.sessionhub.hub.impl.inventory.SessionRecordJson;
import dev.sessionhub.shared.selector.Selector;
import dev.sessionhub.shared.selector.SelectorSyntaxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code GET /api/sessions?selector=…} and {@code GET /api/sessions/{host:port}}. Thin: parse, query, map. */
final class SessionsResource {

  private final Inventory inventory;

  SessionsResource(Inventory inventory) {
    this.inventory = inventory;
  }

  void list(RoutingContext ctx) {
    String text = ctx.request().getParam("selector", "");
    Selector selector;
    try {
      selector = Selector.parse(text);
    } catch (SelectorSyntaxException e) {
      ApiErrors.badSelector(ctx, e);
      return;
    }
    inventory.find(selector).onComplete(ar -> {
      if (ar.failed()) {
        ApiErrors.internal(ctx, ar.cause());
        return;
      }
      JsonReplies.ok(ctx, listing(selector, ar.result()));
    });
  }

  static JsonObject listing(Selector selector, List<SessionRecord> sessions) {
    JsonArray items = new JsonArray();
    sessions.forEach(r -> items.add(SessionRecordJson.toApi(r)));
    return new JsonObject().put("selector", selector.toString()).put("count", sessions.size())
        .put("sessions", items);
  }

  void one(RoutingContext ctx) {
    String address = ctx.pathParam("address");
    inventory.get(address).onComplete(ar -> {
      if (ar.failed()) {
        ApiErrors.internal(ctx, ar.cause());
      } else if (ar.result() == null) {
        ApiErrors.send(ctx, 404, "unknown_session", "no session at " + address
            + " (addresses are host:port, as GET /api/sessions lists them)");
      } else {
        JsonReplies.ok(ctx, SessionRecordJson.toApi(ar.result()));
      }
    });
  }
}
