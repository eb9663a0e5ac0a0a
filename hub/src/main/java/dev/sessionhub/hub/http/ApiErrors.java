package dev.sessionhub.hub.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one mapping from failures to HTTP answers at the hub's REST edge: a status and a JSON body. */
final class ApiErrors {

  private ApiErrors() {
  }

  static void send(RoutingContext ctx, int status, String error, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error).put("message", message).encode());
  }

  static void json(RoutingContext ctx, JsonObject body) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
  }

  static void internal(RoutingContext ctx, Throwable t) {
    send(ctx, 503, "unavailable", "the hub could not answer: " + t.getMessage());
  }
}
