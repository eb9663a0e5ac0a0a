package dev.sessionhub.hub.impl.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard: {@code GET /} and {@code GET /assets/*} served from {@code webroot/} in the hub's jar (no CDN, no
 * build step; the farm may be offline). The page loads without a token and asks for one when the API answers 401.
 * Assets are not cached by browsers, so a new hub version never runs with an old script; every answer carries a
 * strict content security policy (scripts and connections only to this hub).
 */
final class DashboardAssets {

  static final String WEB_ROOT = "webroot";
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private DashboardAssets() {
  }

  static void mount(Router router) {
    StaticHandler files = StaticHandler.create(WEB_ROOT)
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setDefaultContentEncoding("UTF-8");
    // A regex route keeps the request path whole, so /assets/app.js resolves to webroot/assets/app.js.
    router.get("/").handler(DashboardAssets::secure).handler(files);
    router.getWithRegex("/assets/[^/]+").handler(DashboardAssets::secure).handler(files);
  }

  private static void secure(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-cache");
    ctx.next();
  }
}
