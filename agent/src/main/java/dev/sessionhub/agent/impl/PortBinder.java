package dev.sessionhub.agent.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.LocalMap;

/**
 * Binds the first free port of a range: it tries to bind each port in turn and moves on when the bind fails,
 * so two agents starting together can never pick the same port (no probe-then-bind race).
 *
 * <p>Vert.x shares a listening socket among servers of one Vert.x instance that listen on the same address, so
 * a second agent in the same JVM would silently share the first one's port. Each port is therefore claimed in
 * the instance's local map before binding, and released when the server closes.
 */
final class PortBinder {

  private static final String CLAIMS = "sessionhub.agent.ports";

  private final Vertx vertx;
  private final HttpServerOptions serverOptions;
  private final Handler<HttpServerRequest> handler;
  private final Handler<HttpConnection> connections;
  private final String host;

  PortBinder(Vertx vertx, HttpServerOptions serverOptions, Handler<HttpServerRequest> handler,
      Handler<HttpConnection> connections, String host) {
    this.vertx = vertx;
    this.serverOptions = serverOptions;
    this.handler = handler;
    this.connections = connections;
    this.host = host;
  }

  /** Binds the first free port in {@code [from, to]} ({@code from == 0}: any port the OS picks). */
  Future<HttpServer> bindFirstFree(int from, int to) {
    return attempt(from, from, to);
  }

  private Future<HttpServer> attempt(int first, int from, int to) {
    LocalMap<String, Boolean> claims = vertx.sharedData().getLocalMap(CLAIMS);
    int port = first;
    // ports another agent of this process claimed are skipped in a loop, not by recursion: the 10,000th agent of a
    // sim would otherwise recurse 10,000 deep (StackOverflowError)
    while (port != 0 && port <= to && claims.putIfAbsent(host + ":" + port, Boolean.TRUE) != null) {
      port++;
    }
    if (port > to) {
      return Future.failedFuture(new IllegalStateException(
          "no free port in " + from + "-" + to + " on " + host));
    }
    String key = host + ":" + port;
    int bound = port;
    HttpServer server = vertx.createHttpServer(new HttpServerOptions(serverOptions)).requestHandler(handler)
        .connectionHandler(connections);
    return server.listen(bound, host).recover(failure -> {
      if (bound != 0) {
        claims.remove(key);
      }
      return bound == 0 ? Future.failedFuture(failure) : attempt(bound + 1, from, to);
    });
  }

  /** Closes the server and releases its claim; the port is free when the future completes. */
  Future<Void> close(HttpServer server, int requestedFrom) {
    int port = server.actualPort();
    return server.close().andThen(ar -> {
      if (requestedFrom != 0) {
        vertx.sharedData().<String, Boolean>getLocalMap(CLAIMS).remove(host + ":" + port);
      }
    });
  }
}
