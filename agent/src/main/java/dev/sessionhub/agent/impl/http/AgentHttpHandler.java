package dev.sessionhub.agent.impl.http;

import dev.sessionhub.agent.impl.metrics.AgentHealth;
import dev.sessionhub.agent.impl.metrics.AgentMetrics;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.auth.TokenAuth;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.MethodCall;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodecException;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's HTTP edge: authenticates, reads the body within limits, decodes it, hands the call to the
 * {@link RpcDispatcher} and writes the answer. XML-RPC faults travel as HTTP 200 like every XML-RPC server;
 * transport refusals are HTTP statuses (401, 404, 405, 408, 413).
 */
public final class AgentHttpHandler implements Handler<HttpServerRequest> {

  private static final CharSequence TEXT_XML = HttpHeaders.createOptimized("text/xml; charset=utf-8");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence HTML = HttpHeaders.createOptimized("text/html; charset=utf-8");
  /** The one method open discovery answers without the token. */
  static final String OPEN_METHOD = "server_data";
  private static final CharSequence BASIC_REALM = HttpHeaders.createOptimized("Basic realm=\"sessionhub\"");

  private final TokenAuth auth;
  private final BodyReader bodies;
  private final XmlRpcCodec codec;
  private final RpcDispatcher dispatcher;
  private final AgentStats stats;
  private final Supplier<Map<String, Object>> serverData;
  private final Supplier<Map<String, Object>> counters;
  private final boolean openDiscovery;
  private final AgentMetrics metrics;
  private final AgentHealth health;
  private final boolean openMetrics;

  /**
   * Also serves {@code GET /metrics} (token required unless {@code openMetrics}) and {@code GET /health/live},
   * {@code /health/ready} (never a token: they reveal nothing).
   *
   * @param openDiscovery whether {@code server_data} (and only it: never {@code command}, {@code evaluate} or
   *     {@code system.multicall}) may be called without the token
   */
  public AgentHttpHandler(TokenAuth auth, boolean openDiscovery, BodyReader bodies, XmlRpcCodec codec,
      RpcDispatcher dispatcher, AgentStats stats, Supplier<Map<String, Object>> serverData,
      Supplier<Map<String, Object>> counters, AgentMetrics metrics, AgentHealth health, boolean openMetrics) {
    this.metrics = metrics;
    this.health = health;
    this.openMetrics = openMetrics;
    this.auth = auth;
    this.bodies = bodies;
    this.codec = codec;
    this.dispatcher = dispatcher;
    this.stats = stats;
    this.serverData = serverData;
    this.counters = counters;
    this.openDiscovery = openDiscovery;
  }

  @Override
  public void handle(HttpServerRequest request) {
    stats.countRequest();
    metrics.httpRequest();
    HttpServerResponse response = request.response();
    String path = request.path();
    if (request.method() == HttpMethod.GET && path.startsWith("/health/")) {
      health(request, path);
      return;
    }
    boolean rpcPath = path.equals("/") || path.equals("/RPC2");
    boolean authenticated = auth.allows(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (request.method() == HttpMethod.GET && path.equals("/metrics") && (authenticated || openMetrics)) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, AgentMetrics.contentType()).end(Buffer.buffer(metrics.scrape()));
      return;
    }
    boolean openCall = openDiscovery && request.method() == HttpMethod.POST && rpcPath;
    if (!authenticated && !openCall) {
      refuseUnauthenticated(request);
      return;
    }
    if (request.method() == HttpMethod.POST && rpcPath) {
      serveCall(request, authenticated);
    } else if (request.method() == HttpMethod.GET && path.equals("/status")) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .end(StatusView.json(serverData.get(), counters.get()).encode());
    } else if (request.method() == HttpMethod.GET && path.equals("/")) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, HTML).end(StatusView.html(serverData.get(), counters.get()));
    } else if (rpcPath || path.equals("/status")) {
      metrics.refused();
      response.putHeader(HttpHeaders.ALLOW, rpcPath ? "GET, POST" : "GET");
      plain(request, 405, "method " + request.method() + " not allowed on " + path);
    } else {
      plain(request, 404, "no such path: " + path);
    }
  }

  /** {@code /health/live}: 200 while the process serves; {@code /health/ready}: 200 once ready, else 503 and why. */
  private void health(HttpServerRequest request, String path) {
    if (path.equals("/health/live")) {
      plain(request, 200, "ok");
    } else if (path.equals("/health/ready")) {
      String notReady = health.notReadyReason();
      plain(request, notReady == null ? 200 : 503, notReady == null ? "ready" : "not ready: " + notReady);
    } else {
      metrics.refused();
      plain(request, 404, "no such path: " + path);
    }
  }

  private void refuseUnauthenticated(HttpServerRequest request) {
    stats.countRefusal();
    metrics.refused();
    request.response().putHeader("WWW-Authenticate", BASIC_REALM);
    plain(request, 401, "token required");
  }

  private void serveCall(HttpServerRequest request, boolean authenticated) {
    Context context = Vertx.currentContext();
    bodies.read(request).onComplete(read -> {
      if (read.failed()) {
        refuse(request, read.cause());
        return;
      }
      stats.countCall();
      Buffer body = read.result();
      try {
        MethodCall call = codec.decodeCall(body.getBytes());
        metrics.call(call.methodName());
        if (!authenticated && !call.methodName().equals(OPEN_METHOD)) {
          refuseUnauthenticated(request);
          return;
        }
        Future.fromCompletionStage(dispatcher.dispatch(call), context)
            .onComplete(result -> {
          if (result.succeeded()) {
            xml(request, codec.encodeResponse(result.result()));
          } else {
            fault(request, result.cause());
          }
        });
      } catch (XmlRpcCodecException e) {
        stats.countFault();
        xml(request, codec.encodeFault(e.toFault()));
      }
    });
  }

  private void refuse(HttpServerRequest request, Throwable cause) {
    stats.countRefusal();
    metrics.refused();
    if (!(cause instanceof BodyReader.BodyRejected rejected)) {
      request.connection().close();
      return;
    }
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    plain(request, rejected.status(), rejected.getMessage());
    lingeringClose(request);
  }

  /**
   * Closes after the refusal without resetting it away: closing a socket with unread request bytes makes the
   * kernel send RST, which can destroy the 413 before the client reads it. So the rest of the body is read and
   * dropped for up to a second (a body that never ends is cut then), and the connection closes after that.
   */
  private static void lingeringClose(HttpServerRequest request) {
    io.vertx.core.Context context = Vertx.currentContext();
    if (context == null || request.isEnded()) {
      request.connection().close();
      return;
    }
    long timer = context.owner().setTimer(1000, id -> request.connection().close());
    request.handler(ignored -> { });
    request.endHandler(v -> {
      context.owner().cancelTimer(timer);
      request.connection().close();
    });
    request.resume();
  }

  private void fault(HttpServerRequest request, Throwable cause) {
    stats.countFault();
    XmlRpcFaultException fault = cause instanceof XmlRpcFaultException f ? f
        : new XmlRpcFaultException(FaultCode.INTERNAL_ERROR, String.valueOf(cause.getMessage()));
    xml(request, codec.encodeFault(fault.fault()));
  }

  private static void xml(HttpServerRequest request, byte[] body) {
    HttpServerResponse response = request.response();
    if (!response.ended() && !response.closed()) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, TEXT_XML).end(Buffer.buffer(body));
    }
  }

  private static void plain(HttpServerRequest request, int status, String message) {
    HttpServerResponse response = request.response();
    if (!response.ended() && !response.closed()) {
      response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end(message + "\n");
    }
  }
}
