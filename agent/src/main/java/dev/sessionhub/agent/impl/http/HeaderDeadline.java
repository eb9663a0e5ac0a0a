package dev.sessionhub.agent.impl.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a connection that does not deliver a request's headers in time: within the deadline of opening, and of
 * its last response ending while no other request is in flight.
 *
 * <p>Why: the {@link BodyReader}'s timer starts only once the headers are complete, and the idle timeout is reset
 * by every byte, so a slow-loris client that sends its headers one byte at a time (or opens a connection and
 * sends nothing) would hold a socket for as long as it likes. With this deadline each such connection costs at
 * most the request read timeout. An idle keep-alive connection is closed after the same time, as HTTP servers
 * do; clients open a new one.
 *
 * <p>A connection's state is only touched on its own event loop (the connection handler, its requests and their
 * responses all run there); the map is concurrent because one instance serves every event loop.
 */
public final class HeaderDeadline {

  /** Requests in flight on one connection, and the pending deadline timer (or -1). */
  private static final class State {
    int inFlight;
    long timer = -1;
  }

  private final Vertx vertx;
  private final long millis;
  private final Map<HttpConnection, State> connections = new ConcurrentHashMap<>();

  public HeaderDeadline(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.millis = Math.max(1, deadline.toMillis());
  }

  /** For {@code HttpServer.connectionHandler}: starts the clock on a new connection. */
  public void connected(HttpConnection connection) {
    State state = new State();
    connections.put(connection, state);
    connection.closeHandler(v -> {
      State gone = connections.remove(connection);
      if (gone != null && gone.timer >= 0) {
        vertx.cancelTimer(gone.timer);
      }
    });
    arm(connection, state);
  }

  /** Wraps the request handler: a request's arrival stops the clock, its response's end restarts it. */
  public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
    return request -> {
      HttpConnection connection = request.connection();
      State state = connections.get(connection);
      if (state != null) {
        state.inFlight++;
        if (state.timer >= 0) {
          vertx.cancelTimer(state.timer);
          state.timer = -1;
        }
        request.response().endHandler(v -> {
          State now = connections.get(connection);
          if (now != null && --now.inFlight == 0) {
            arm(connection, now);
          }
        });
      }
      next.handle(request);
    };
  }

  private void arm(HttpConnection connection, State state) {
    state.timer = vertx.setTimer(millis, id -> {
      if (connections.get(connection) == state && state.timer == id) {
        state.timer = -1;
        connection.close();
      }
    });
  }
}
