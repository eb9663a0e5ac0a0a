package dev.sessionhub.hub.http;

import io.vertx.ext.web.RoutingContext;

/** {@code GET /}: until the dashboard lands, a page that names the hub's interfaces. */
final class DashboardPage {

  private DashboardPage() {
  }

  static void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("<!doctype html><html><head>"
        + "<meta charset=\"utf-8\"><title>SessionHub</title></head><body style=\"font:14px system-ui\">"
        + "<h1>SessionHub hub</h1><ul><li><a href=\"/api/sessions\">/api/sessions</a> (?selector=app=blender)</li>"
        + "<li><a href=\"/api/cluster\">/api/cluster</a></li><li><a href=\"/api/events\">/api/events</a> (SSE)</li>"
        + "<li>XML-RPC at /RPC2: hub.sessions(selector), hub.session(address)</li></ul></body></html>");
  }
}
