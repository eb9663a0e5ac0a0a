package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.metrics.HubHealth;
import dev.sessionhub.hub.impl.metrics.HubMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The operator's endpoints on the hub's port: {@code GET /metrics} (Prometheus text; the token unless metrics
 * are open), {@code GET /health/live} and {@code /health/ready} (no token), {@code GET /api/diagnose/{address}}
 * (what {@code sessionhub doctor} reads), and the per-request hooks that count
 * HTTP requests by route template and status and the open event streams.
 */
public final class OpsEndpoints {

  private final Vertx vertx;
  private final HubMetrics metrics;
  private final HubHealth health;
  private final boolean openMetrics;
  private final DiagnoseResource diagnose;

  /** @param openMetrics whether {@code /metrics} answers without the token */
  public OpsEndpoints(Vertx vertx, HubMetrics metrics, HubHealth health, boolean openMetrics,
      DiagnoseResource diagnose) {
    this.diagnose = diagnose;
    this.vertx = vertx;
    this.metrics = metrics;
    this.health = health;
    this.openMetrics = openMetrics;
  }

  boolean openMetrics() {
    return openMetrics;
  }

  /** First handler of every request: counts it when its response ends (or its connection closes). */
  void countRequest(RoutingContext ctx) {
    String path = ctx.request().path();
    String method = ctx.request().method().name();
    ctx.addEndHandler(v -> metrics.httpRequest(path, method, ctx.response().getStatusCode()));
    ctx.next();
  }

  /** Counts an event stream while it is open. */
  void streamOpened(RoutingContext ctx) {
    metrics.sseOpened();
    ctx.addEndHandler(v -> metrics.sseClosed());
    ctx.next();
  }

  /** {@code GET /api/diagnose/{address}} (see {@link DiagnoseResource}). */
  void diagnose(RoutingContext ctx) {
    diagnose.handle(ctx);
  }

  void live(RoutingContext ctx) {
    plain(ctx.response(), 200, "ok");
  }

  void ready(RoutingContext ctx) {
    String notReady = health.notReadyReason();
    plain(ctx.response(), notReady == null ? 200 : 503, notReady == null ? "ready" : "not ready: " + notReady);
  }

  /** The scrape reads gauges (Hazelcast's partition safety asks the members): on a worker, never the loop. */
  void metrics(RoutingContext ctx) {
    vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
      HttpServerResponse response = ctx.response();
      if (response.ended() || response.closed()) {
        return;
      }
      if (ar.succeeded()) {
        response.putHeader("Content-Type", metrics.contentType()).end(ar.result());
      } else {
        ApiErrors.send(ctx, 500, "internal_error", "metrics could not be read: " + ar.cause().getMessage());
      }
    });
  }

  private static void plain(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body + "\n");
  }
}
