package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.cluster.ClusterState;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/cluster}: the hubs, which hosts each scans, their last scan time and duration. */
final class ClusterResource {

  private final ClusterState cluster;

  ClusterResource(ClusterState cluster) {
    this.cluster = cluster;
  }

  void handle(RoutingContext ctx) {
    cluster.view().onComplete(ar -> {
      if (ar.failed()) {
        ApiErrors.internal(ctx, ar.cause());
      } else {
        JsonReplies.ok(ctx, ar.result());
      }
    });
  }
}
