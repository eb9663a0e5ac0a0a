package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.audit.AuditLog;
import dev.sessionhub.shared.auth.TokenAuth;
import dev.sessionhub.shared.rpc.RpcCaller;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The first handler of every hub request: the client's rate and concurrency limits (429 with {@code Retry-After}),
 * then the token (401). The dashboard page and its assets, and {@code /health/live}, {@code /health/ready}, load
 * without a token ({@code /metrics} too under open metrics); with open discovery, reading the
 * inventory does too (REST {@code GET}s of sessions, cluster and session events; XML-RPC {@code hub.sessions},
 * {@code hub.session}); nothing that runs code or changes the inventory ever does. Refusals go to the audit log.
 * Who the caller is ({@link RpcCaller}) is left on the context for the handlers that record it.
 */
final class RequestGate {

  /** The server-sent event streams, which accept the token as a query parameter too. */
  static final Pattern EVENT_STREAMS = Pattern.compile("/api/events|/api/jobs/[^/]+/events");
  /** What open discovery lets anyone read. */
  private static final Pattern OPEN_READS = Pattern.compile("/api/sessions(/[^/]+)?|/api/cluster|/api/events");
  /** The XML-RPC methods open discovery lets anyone call. */
  static final Set<String> OPEN_METHODS = Set.of("hub.sessions", "hub.session", "system.listMethods",
      "system.methodHelp", "system.methodSignature");

  private static final String CALLER = "sessionhub.caller";
  /** The header in which an agent's announcement calls name the session's port. */
  static final String SESSION_PORT_HEADER = "X-SessionHub-Session-Port";

  private final TokenAuth auth;
  private final boolean openDiscovery;
  private final ClientLimits limits;
  private final AuditLog audit;
  private final boolean openMetrics;

  /** @param openMetrics whether {@code GET /metrics} is served without the token */
  RequestGate(TokenAuth auth, boolean openDiscovery, ClientLimits limits, AuditLog audit, boolean openMetrics) {
    this.openMetrics = openMetrics;
    this.auth = auth;
    this.openDiscovery = openDiscovery;
    this.limits = limits;
    this.audit = audit;
  }

  void admit(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String client = clientOf(request);
    boolean tokenValid = auth.allows(request.getHeader("Authorization"));
    String limited = limitKey(request, client, tokenValid);
    ClientLimits.Refusal refusal = limits.admit(limited);
    if (refusal != null) {
      tooMany(ctx, client, refusal);
      return;
    }
    ctx.addEndHandler(v -> limits.finished(limited));
    boolean authenticated = tokenValid
        || request.method() == HttpMethod.GET && queryTokenAllowed(request);
    ctx.put(CALLER, new RpcCaller(client, authenticated, auth.required()));
    if (authenticated || isPage(request, ctx.normalizedPath()) || isHealth(request)
        || openDiscovery && isOpenRead(request)
        || openMetrics && request.method() == HttpMethod.GET && request.path().equals("/metrics")) {
      ctx.next();
      return;
    }
    refuseUnauthenticated(ctx);
  }

  /**
   * Whom a request's rate and concurrency count against: its client address; for a session's own announcement
   * calls ({@code hub.register}, heartbeats; the agent names its port in {@link #SESSION_PORT_HEADER}) made with
   * a valid token, that session: a render node running a hundred sessions that all register again after a hub
   * restart is not one abusive client. Without a valid token the header changes nothing.
   */
  static String limitKey(HttpServerRequest request, String client, boolean tokenValid) {
    String port = request.getHeader(SESSION_PORT_HEADER);
    if (!tokenValid || port == null || request.method() != HttpMethod.POST) {
      return client;
    }
    try {
      int p = Integer.parseInt(port.trim());
      return p > 0 && p < 65536 ? client + " session port " + p : client;
    } catch (NumberFormatException e) {
      return client;
    }
  }

  /** Holds an event-stream slot for the client while the stream is open. */
  void streamSlot(RoutingContext ctx) {
    String client = clientOf(ctx.request());
    ClientLimits.Refusal refusal = limits.openStream(client);
    if (refusal != null) {
      tooMany(ctx, client, refusal);
      return;
    }
    ctx.addEndHandler(v -> limits.streamClosed(client));
    ctx.next();
  }

  /** Whether an unauthenticated caller may call this XML-RPC method (only under open discovery). */
  boolean mayCall(RpcCaller caller, String method) {
    return caller.authenticated() || openDiscovery && OPEN_METHODS.contains(method);
  }

  void refuseUnauthenticated(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    audit.refused(clientOf(request), request.method().name(), request.path(), 401,
        request.getHeader("Authorization") == null ? "no token" : "wrong token");
    ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"sessionhub\"");
    ApiErrors.send(ctx, 401, "unauthorized", "token required");
  }

  static RpcCaller caller(RoutingContext ctx) {
    RpcCaller caller = ctx.get(CALLER);
    return caller != null ? caller : new RpcCaller(clientOf(ctx.request()), false, true);
  }

  private void tooMany(RoutingContext ctx, String client, ClientLimits.Refusal refusal) {
    HttpServerRequest request = ctx.request();
    audit.refused(client, request.method().name(), request.path(), 429, refusal.reason());
    ctx.response().putHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
    ApiErrors.send(ctx, 429, "too_many_requests", refusal.reason());
  }

  /** The dashboard and the agent downloads, by the path the router routes ({@code /assets/../api} is the API). */
  private static boolean isPage(HttpServerRequest request, String normalizedPath) {
    return request.method() == HttpMethod.GET
        && (normalizedPath.equals("/") || normalizedPath.startsWith("/assets/")
            || normalizedPath.startsWith(AgentDownloads.PREFIX));
  }

  /** Liveness and readiness: never a token (they reveal nothing but ok or not ready). */
  private static boolean isHealth(HttpServerRequest request) {
    return request.method() == HttpMethod.GET
        && (request.path().equals("/health/live") || request.path().equals("/health/ready"));
  }

  private static boolean isOpenRead(HttpServerRequest request) {
    if (request.method() == HttpMethod.GET) {
      return OPEN_READS.matcher(request.path()).matches();
    }
    // XML-RPC: the method is checked once the body is decoded (mayCall)
    return request.method() == HttpMethod.POST && (request.path().equals("/RPC2") || request.path().equals("/"));
  }

  /**
   * The event streams also take the token as {@code ?token=}, because a browser's {@code EventSource} cannot send
   * headers; it is checked the same constant-time way and never logged.
   */
  private boolean queryTokenAllowed(HttpServerRequest request) {
    String token = request.getParam("token");
    return token != null && EVENT_STREAMS.matcher(request.path()).matches() && auth.allows("Bearer " + token);
  }

  static String clientOf(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }
}
