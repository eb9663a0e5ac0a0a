package dev.sessionhub.agent.impl.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that does not deliver a request's headers in time: within the deadline of opening, and of
 * its last response ending while no other request is in flight.
 *
 * <p>Why: the {@link BodyReader}'s timer starts only once the headers are complete, and the idle timeout is reset
 * by every byte, so a slow-loris client that sends its headers one byte at a time (or opens a connection and
 * sends nothing) would hold a socket for as long as it likes. With this deadline each such connection costs at
 * most the request read timeout (plus a quarter of it, the sweep's period). An idle keep-alive connection is
 * closed after the same time, as HTTP servers do; clients open a new one.
 *
 * <p>Why a sweep and not a timer per connection: a timer re-armed after every response and cancelled by every
 * request cost an agent more than parsing the request's XML did, under a hub's broadcasts. Here a request only
 * writes a timestamp; one periodic timer, running while there are connections, looks at them all and has each
 * overdue one closed on its own event loop (where it is checked again, so a request that just arrived is never
 * cut).
 */
public final class HeaderDeadline {

  /** The marker of a connection with a request in flight: it is not waiting for headers. */
  private static final long BUSY = Long.MIN_VALUE;

  /** One connection's state: its count of requests in flight is only touched on its own event loop. */
  private static final class State {
    final HttpConnection connection;
    final Context context;
    int inFlight;
    /** When the connection began to wait for a request's headers ({@link System#nanoTime()}), or {@link #BUSY}. */
    volatile long waitingSince;

    State(HttpConnection connection, Context context, long now) {
      this.connection = connection;
      this.context = context;
      this.waitingSince = now;
    }
  }

  private final Vertx vertx;
  private final long deadlineNanos;
  private final long sweepMillis;
  private final Map<HttpConnection, State> connections = new ConcurrentHashMap<>();
  private long sweepTimer = -1;

  public HeaderDeadline(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    long millis = Math.max(1, deadline.toMillis());
    this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    this.sweepMillis = Math.max(1, millis / 4);
  }

  /** For {@code HttpServer.connectionHandler}: starts the clock on a new connection. */
  public void connected(HttpConnection connection) {
    State state = new State(connection, vertx.getOrCreateContext(), System.nanoTime());
    connections.put(connection, state);
    connection.closeHandler(v -> connections.remove(connection));
    sweeping();
  }

  /** Wraps the request handler: a request's arrival stops the clock, its response's end restarts it. */
  public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
    return request -> {
      State state = connections.get(request.connection());
      if (state != null) {
        state.inFlight++;
        state.waitingSince = BUSY;
        request.response().endHandler(v -> {
          if (--state.inFlight == 0) {
            state.waitingSince = System.nanoTime();
          }
        });
      }
      next.handle(request);
    };
  }

  private synchronized void sweeping() {
    if (sweepTimer < 0) {
      sweepTimer = vertx.setPeriodic(sweepMillis, id -> sweep());
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (State state : connections.values()) {
      if (overdue(state, now)) {
        state.context.runOnContext(v -> {
          if (overdue(state, System.nanoTime()) && connections.remove(state.connection, state)) {
            state.connection.close();
          }
        });
      }
    }
    synchronized (this) {
      if (connections.isEmpty() && sweepTimer >= 0) {
        vertx.cancelTimer(sweepTimer);
        sweepTimer = -1;
      }
    }
  }

  private boolean overdue(State state, long now) {
    long since = state.waitingSince;
    return since != BUSY && now - since >= deadlineNanos;
  }
}
