package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.inventory.InventoryEvents;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/events}: server-sent events, one per inventory change ({@code up}, {@code changed},
 * {@code down}), plus a comment every 15 s so proxies keep the stream open. A client that cannot keep up is
 * dropped rather than buffered without bound.
 */
final class EventStream {

  private static final long KEEPALIVE_MS = 15_000;
  private static final int MAX_BUFFERED_EVENTS_BYTES = 4 << 20;

  private final Vertx vertx;

  EventStream(Vertx vertx) {
    this.vertx = vertx;
  }

  void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .setWriteQueueMaxSize(MAX_BUFFERED_EVENTS_BYTES);
    response.write(": sessionhub events\nretry: 2000\n\n");
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(InventoryEvents.ADDRESS, message -> {
      if (response.writeQueueFull()) {
        response.reset();
        return;
      }
      JsonObject event = message.body();
      response.write("event: " + event.getString("type") + "\ndata: " + event.encode() + "\n\n");
    });
    long keepalive = vertx.setPeriodic(KEEPALIVE_MS, id -> response.write(": keepalive\n\n"));
    response.closeHandler(v -> {
      consumer.unregister();
      vertx.cancelTimer(keepalive);
    });
  }
}
