package dev.sessionhub.hub.impl.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A successful REST answer: 200 with a JSON body, unless the client is already gone. Failures: {@link ApiErrors}. */
final class JsonReplies {

  private JsonReplies() {
  }

  static void ok(RoutingContext ctx, JsonObject body) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
