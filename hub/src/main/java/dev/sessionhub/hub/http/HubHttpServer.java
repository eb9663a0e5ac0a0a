package dev.sessionhub.hub.http;

import dev.sessionhub.hub.cluster.ClusterState;
import dev.sessionhub.hub.inventory.Inventory;
import dev.sessionhub.hub.jobs.JobService;
import dev.sessionhub.shared.auth.TokenAuth;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.xmlrpc.CodecLimits;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.regex.Pattern;

/**
 * The hub's one HTTP port: REST under {@code /api}, server-sent events at {@code /api/events}, XML-RPC at
 * {@code /RPC2} (and {@code /}), the dashboard at {@code /} with its files under {@code /assets/}. With a token,
 * every API and XML-RPC request must carry it (Basic password or Bearer; the event streams also take
 * {@code ?token=}); the dashboard page itself loads without it and asks for it.
 */
public final class HubHttpServer {

  /** The server-sent event streams, which accept the token as a query parameter too. */
  private static final Pattern EVENT_STREAMS = Pattern.compile("/api/events|/api/jobs/[^/]+/events");

  private final Vertx vertx;
  private final Router router;
  private HttpServer server;

  public HubHttpServer(Vertx vertx, Inventory inventory, ClusterState cluster, JobService jobs,
      RpcDispatcher dispatcher, TokenAuth auth, int maxBodyBytes) {
    this.vertx = vertx;
    this.router = Router.router(vertx);
    SessionsResource sessions = new SessionsResource(inventory);
    XmlRpcEndpoint rpc = new XmlRpcEndpoint(new XmlRpcCodec(new CodecLimits(CodecLimits.DEFAULT_MAX_DEPTH,
        maxBodyBytes)), dispatcher);
    router.route().handler(ctx -> authenticate(ctx, auth));
    router.get("/api/sessions").handler(sessions::list);
    router.get("/api/sessions/:address").handler(sessions::one);
    router.get("/api/cluster").handler(new ClusterResource(cluster)::handle);
    router.get("/api/events").handler(new EventStream(vertx)::handle);
    JobsResource jobsResource = new JobsResource(jobs);
    BodyHandler json = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    router.post("/api/sessions/:address/command").handler(json).handler(jobsResource::command);
    router.post("/api/broadcast").handler(json).handler(jobsResource::broadcast);
    router.get("/api/jobs").handler(jobsResource::recent);
    router.get("/api/jobs/:id").handler(jobsResource::one);
    router.get("/api/jobs/:id/events").handler(new JobEventStream(vertx, jobs)::handle);
    router.post("/RPC2").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(rpc::handle);
    router.post("/").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(rpc::handle);
    DashboardAssets.mount(router);
    router.route("/api/*").handler(ctx -> ApiErrors.send(ctx, 404, "not_found", "no such API: "
        + ctx.request().method() + " " + ctx.request().path()));
  }

  /** Routes later issues add (commands, jobs, static assets) go on the same router. */
  public Router router() {
    return router;
  }

  /**
   * The page and its assets load without a token; everything else needs it in the {@code Authorization} header.
   * The two event streams also take it as {@code ?token=}, because a browser's {@code EventSource} cannot send
   * headers; it is checked the same constant-time way and never logged.
   */
  private static void authenticate(RoutingContext ctx, TokenAuth auth) {
    HttpServerRequest request = ctx.request();
    boolean get = request.method() == HttpMethod.GET;
    boolean page = get && (request.path().equals("/") || request.path().startsWith("/assets/"));
    if (page || auth.allows(request.getHeader("Authorization")) || get && queryTokenAllowed(request, auth)) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"sessionhub\"");
    ApiErrors.send(ctx, 401, "unauthorized", "token required");
  }

  private static boolean queryTokenAllowed(HttpServerRequest request, TokenAuth auth) {
    String token = request.getParam("token");
    return token != null && EVENT_STREAMS.matcher(request.path()).matches() && auth.allows("Bearer " + token);
  }

  public Future<HttpServer> listen(String host, int port) {
    return listen(host, port, null);
  }

  /** Listens with https when {@code tls} (the certificate and key) is not null, else plain http. */
  public Future<HttpServer> listen(String host, int port, KeyCertOptions tls) {
    HttpServerOptions options = new HttpServerOptions().setIdleTimeout(120).setMaxHeaderSize(16 * 1024);
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(tls);
    }
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen(port, host);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
