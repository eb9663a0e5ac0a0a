package dev.sessionhub.hub.impl.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds how long a client may take to send a request (slow-loris): its headers within the deadline of
 * connecting, or of its last response ending (checked once per deadline, so a cut comes one to two deadlines
 * after it); its announced body within the deadline of its headers (then HTTP 408 and the connection closes).
 *
 * <p>Why: the idle timeout is reset by every byte, and {@code BodyHandler} waits for a body as long as it keeps
 * coming, so without this a client sending a byte a second holds a socket for hours. The checks poll the
 * request's and response's state instead of taking their end handlers, which the event streams own.
 *
 * <p>A connection's watch is only touched on its own event loop; the map is concurrent because one instance
 * serves every event loop.
 */
final class RequestDeadlines {

  /** The request a connection is serving (null before its first), and whether it was seen done already. */
  private static final class Watch {
    HttpServerRequest current;
    boolean doneSeen;
    long timer;
  }

  private final Vertx vertx;
  private final long millis;
  private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

  RequestDeadlines(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.millis = Math.max(1, deadline.toMillis());
  }

  /** For {@code HttpServer.connectionHandler}: the connection must send its first request's headers in time. */
  void connected(HttpConnection connection) {
    Watch watch = new Watch();
    watches.put(connection, watch);
    connection.closeHandler(v -> {
      Watch gone = watches.remove(connection);
      if (gone != null) {
        vertx.cancelTimer(gone.timer);
      }
    });
    watch.timer = vertx.setTimer(millis, id -> check(connection, watch));
  }

  /** The first route: notes the request on its connection and starts the body's clock if it has one. */
  void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.current = request;
      watch.doneSeen = false;
    }
    if (announcesBody(request)) {
      vertx.setTimer(millis, id -> {
        HttpServerResponse response = ctx.response();
        if (!request.isEnded() && !response.ended() && !response.closed()) {
          response.setStatusCode(408).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
              .putHeader(HttpHeaders.CONNECTION, "close")
              .end(new JsonObject().put("error", "request_timeout")
                  .put("message", "request body not received within " + millis + " ms").encode())
              .onComplete(ar -> request.connection().close());
        }
      });
    }
    ctx.next();
  }

  private static boolean announcesBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return length != null && !length.trim().equals("0") || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }

  /** Closes a connection that is between requests for a second check in a row (or never sent one). */
  private void check(HttpConnection connection, Watch watch) {
    if (watches.get(connection) != watch) {
      return;
    }
    HttpServerRequest current = watch.current;
    boolean between = current == null || current.response().ended() || current.response().closed();
    if (between && (current == null || watch.doneSeen)) {
      watches.remove(connection);
      connection.close();
      return;
    }
    watch.doneSeen = between;
    watch.timer = vertx.setTimer(millis, id -> check(connection, watch));
  }
}
