package dev.sessionhub.hub.impl.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one mapping from failures to HTTP answers at the hub's REST edge: a 4xx/5xx status and a JSON body. */
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

  /** 400 for a selector that does not parse: the parser's message and where in the text it went wrong. */
  static void badSelector(RoutingContext ctx, dev.sessionhub.shared.selector.SelectorSyntaxException e) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("error", "bad_selector").put("message", e.getMessage()).put("position", e.position()).encode());
    }
  }

  static void internal(RoutingContext ctx, Throwable t) {
    send(ctx, 503, "unavailable", "the hub could not answer: " + t.getMessage());
  }
}
