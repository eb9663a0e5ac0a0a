package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.HubHttpOptions;
import dev.sessionhub.hub.impl.audit.AuditLog;
import dev.sessionhub.shared.auth.TokenAuth;
import dev.sessionhub.hub.impl.cluster.ClusterState;
import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.jobs.JobService;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.xmlrpc.CodecLimits;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The hub's one HTTP port: REST under {@code /api}, server-sent events at {@code /api/events}, XML-RPC at
 * {@code /RPC2} (and {@code /}), the dashboard at {@code /} with its files under {@code /assets/}. Every request
 * passes the {@link RequestGate} first (per-client limits, then the token).
 */
public final class HubHttpServer {

  private final Vertx vertx;
  private final Router router;
  private final RequestDeadlines deadlines;
  private HttpServer server;

  /** {@code ops}: the operator's endpoints ({@code /metrics}, {@code /health/*}, {@code /api/diagnose}). */
  public HubHttpServer(Vertx vertx, Inventory inventory, ClusterState cluster, JobService jobs,
      RpcDispatcher dispatcher, HubHttpOptions options, TokenAuth auth, AuditLog audit, OpsEndpoints ops) {
    this.vertx = vertx;
    this.router = Router.router(vertx);
    this.deadlines = new RequestDeadlines(vertx, options.getRequestReadTimeout());
    int maxBodyBytes = options.getMaxBodyBytes();
    RequestGate gate = new RequestGate(auth, options.isOpenDiscovery(),
        new ClientLimits(options.getRateLimit(), options.getRateBurst(), options.getMaxInFlightPerClient(),
            options.getMaxStreamsPerClient()), audit, ops.openMetrics());
    SessionsResource sessions = new SessionsResource(inventory);
    XmlRpcEndpoint rpc = new XmlRpcEndpoint(new XmlRpcCodec(new CodecLimits(CodecLimits.DEFAULT_MAX_DEPTH,
        maxBodyBytes)), dispatcher, gate);
    router.route().handler(ops::countRequest);
    router.route().handler(deadlines::handle);
    router.route().handler(gate::admit);
    router.get("/health/live").handler(ops::live);
    router.get("/health/ready").handler(ops::ready);
    router.get("/metrics").handler(ops::metrics);
    router.get("/api/diagnose/:address").handler(ops::diagnose);
    router.get("/api/sessions").handler(sessions::list);
    router.get("/api/sessions/:address").handler(sessions::one);
    router.get("/api/cluster").handler(new ClusterResource(cluster)::handle);
    router.get("/api/events").handler(gate::streamSlot).handler(ops::streamOpened).handler(new EventStream(vertx)::handle);
    JobsResource jobsResource = new JobsResource(jobs);
    BodyHandler json = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    router.post("/api/sessions/:address/command").handler(json).handler(jobsResource::command);
    router.post("/api/broadcast").handler(json).handler(jobsResource::broadcast);
    router.get("/api/jobs").handler(jobsResource::recent);
    router.get("/api/jobs/:id").handler(jobsResource::one);
    router.delete("/api/jobs/:id").handler(jobsResource::cancel);
    router.get("/api/jobs/:id/events").handler(gate::streamSlot).handler(ops::streamOpened)
        .handler(new JobEventStream(vertx, jobs)::handle);
    router.post("/RPC2").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(rpc::handle);
    router.post("/").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(rpc::handle);
    new AgentDownloads().mount(router);
    DashboardAssets.mount(router);
    router.route("/api/*").handler(ctx -> ApiErrors.send(ctx, 404, "not_found", "no such API: "
        + ctx.request().method() + " " + ctx.request().path()));
  }

  /** Routes later issues add (commands, jobs, static assets) go on the same router. */
  public Router router() {
    return router;
  }

  public Future<HttpServer> listen(String host, int port) {
    return listen(host, port, null);
  }

  /** Listens with https when {@code tls} (the certificate and key) is not null, else plain http. */
  public Future<HttpServer> listen(String host, int port, KeyCertOptions tls) {
    // HTTP/1.x only: with cleartext HTTP/2 on, Vert.x holds a connection back until its first request's headers
    // are complete, out of reach of the header deadline (and nothing here speaks h2c).
    HttpServerOptions options = new HttpServerOptions().setIdleTimeout(120).setMaxHeaderSize(16 * 1024)
        .setHttp2ClearTextEnabled(false);
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(tls);
    }
    server = vertx.createHttpServer(options).requestHandler(router).connectionHandler(deadlines::connected);
    return server.listen(port, host);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
