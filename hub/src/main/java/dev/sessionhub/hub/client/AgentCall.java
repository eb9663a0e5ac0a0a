package dev.sessionhub.hub.client;

import dev.sessionhub.hub.client.AgentCallException.Kind;
import dev.sessionhub.hub.client.FailureMapper.Phase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One agent call, from waiting for a slot to the parsed answer, on the caller's Vert.x context.
 *
 * <p>Why a state machine and not a chain of futures: a call ends exactly once, in whichever way comes first (the
 * answer, a failure, its deadline, the client closing), and each way must leave the rest tidy: the deadline
 * fails the caller at once and resets the request, so a frozen agent holds no slot and no connection; a call
 * still waiting for a slot at its deadline leaves the queue unsent; the slot is released once. Everything but
 * {@link #admit()} and {@link #refuse()} (called by {@link CallSlots} from any thread) runs on the context.
 *
 * <ul>
 *   <li>Sending: the {@link SendGate} is asked once the connection is ready, right before the request is
 *       written; the request is written once, with a Content-Length. Only {@code server_data} is sent again, once,
 *       when a kept-alive connection turns out closed before answering; any other call is reported unreachable,
 *       never re-sent.</li>
 *   <li>Reading: status 200 only (no redirects); a Content-Length or a body over the cap fails at once and
 *       closes the connection; a body is never inflated. Answers over {@value #INLINE_PARSE_BYTES} bytes are
 *       parsed off the event loop.</li>
 * </ul>
 */
final class AgentCall implements CallSlots.Waiter {

  /**
   * Answers up to this size are parsed on the event loop. Measured (warm, one thread, the 2-core machine under
   * load): a short {@code command} answer parses in ~4 µs, 64 KiB in ~0.1 ms, 256 KiB in ~0.6 ms, 1 MiB in ~2 ms.
   */
  static final int INLINE_PARSE_BYTES = 64 * 1024;

  /** The only method sent again when a kept-alive connection closes before answering. */
  private static final String RESENDABLE = "server_data";

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int ENDED = 2;

  private final AgentHttp http;
  private final Context context;
  private final AgentTarget target;
  private final String method;
  private final Buffer body;
  private final long timeoutMillis;
  private final SendGate gate;
  private final Promise<Object> promise = Promise.promise();
  private final AtomicInteger state = new AtomicInteger(QUEUED);
  private long timer = -1;
  private HttpClientRequest request;
  private Phase phase = Phase.CONNECTING;
  private boolean resent;
  private boolean ended;

  AgentCall(AgentHttp http, Context context, AgentTarget target, String method, byte[] body, long timeoutMillis,
      SendGate gate) {
    this.http = http;
    this.context = context;
    this.target = target;
    this.method = method;
    this.body = Buffer.buffer(body);
    this.timeoutMillis = timeoutMillis;
    this.gate = gate;
  }

  /**
   * Takes a slot or a place in the queue now, on the calling thread (so a {@link CallSlots#close()} right after
   * sees this call), then starts the deadline on the context.
   */
  Future<Object> start() {
    CallSlots.Offer offer = http.slots().offer(this);
    switch (offer) {
      case ADMITTED -> state.set(RUNNING);
      case QUEUED -> {
        // admit() connects
      }
      case FULL -> state.set(ENDED);
      case CLOSED -> state.set(ENDED);
    }
    onContext(() -> begin(offer));
    return promise.future();
  }

  private void begin(CallSlots.Offer offer) {
    if (offer == CallSlots.Offer.FULL) {
      end(null, new AgentCallException(Kind.OVERLOADED, http.slots().maxQueued()
          + " agent calls are already waiting for one of " + http.slotCount() + " workers"));
    } else if (offer == CallSlots.Offer.CLOSED) {
      end(null, closed());
    } else if (!ended) {
      timer = http.vertx().setTimer(timeoutMillis, id -> expire());
      if (offer == CallSlots.Offer.ADMITTED) {
        connect();
      }
    }
  }

  /** Fails a call that never got as far as a slot (bad URL, parameters or timeout), on the context. */
  static Future<Object> refused(Context context, AgentCallException failure) {
    Promise<Object> refused = Promise.promise();
    context.runOnContext(v -> refused.fail(failure));
    return refused.future();
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  @Override
  public boolean admit() {
    if (!state.compareAndSet(QUEUED, RUNNING)) {
      return false;
    }
    onContext(this::connect);
    return true;
  }

  @Override
  public void refuse() {
    if (state.compareAndSet(QUEUED, ENDED)) {
      onContext(() -> end(null, closed()));
    }
  }

  private void connect() {
    if (ended) {
      return;
    }
    phase = Phase.CONNECTING;
    RequestOptions options = target.post().putHeader("Content-Type", "text/xml")
        .putHeader("User-Agent", http.userAgent());
    if (http.authorization() != null) {
      options.putHeader("Authorization", http.authorization());
    }
    http.client().request(options).onComplete(connected -> {
      if (connected.failed()) {
        fail(connected.cause());
      } else if (ended) {
        connected.result().reset();
      } else {
        send(connected.result());
      }
    });
  }

  private void send(HttpClientRequest req) {
    String refusal;
    try {
      refusal = gate.refusal();
    } catch (RuntimeException e) {
      refusal = "not sent: the send check failed: " + e;
    }
    if (refusal != null) {
      req.reset();
      end(null, new AgentCallException(Kind.NOT_SENT, refusal));
      return;
    }
    request = req;
    phase = Phase.WAITING;
    boolean reused = !http.usedConnections().add(req.connection());
    req.response().onComplete(head -> {
      if (ended) {
        return;
      }
      if (head.succeeded()) {
        read(head.result());
      } else if (reused && !resent && RESENDABLE.equals(method) && FailureMapper.closedUnanswered(head.cause())) {
        resent = true;
        connect();
      } else {
        fail(head.cause());
      }
    });
    req.end(body);
  }

  private void read(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      cut(new AgentCallException(Kind.PROTOCOL, "HTTP " + response.statusCode() + " from " + target.url()));
      return;
    }
    long length = declaredLength(response.getHeader("Content-Length"));
    if (length > http.maxResponseBytes()) {
      cut(tooBig());
      return;
    }
    phase = Phase.READING;
    Buffer answer = Buffer.buffer(length < 0 ? 1024 : (int) length);
    response.handler(chunk -> {
      if (ended) {
        return;
      }
      if (answer.length() + chunk.length() > http.maxResponseBytes()) {
        cut(tooBig());
      } else {
        answer.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(this::fail);
    response.endHandler(v -> parse(answer));
  }

  /** The Content-Length, -1 without one; a malformed one (Netty refuses those first) counts as too long. */
  private static long declaredLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(header.trim());
      return length < 0 ? Long.MAX_VALUE : length;
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private void parse(Buffer answer) {
    if (ended) {
      return;
    }
    byte[] bytes = answer.getBytes();
    if (bytes.length <= INLINE_PARSE_BYTES) {
      try {
        end(http.messages().response(bytes, target.url()), null);
      } catch (AgentCallException e) {
        end(null, e);
      }
    } else {
      context.executeBlocking(() -> http.messages().response(bytes, target.url()), false)
          .onComplete(parsed -> end(parsed.result(), parsed.succeeded() ? null
              : parsed.cause() instanceof AgentCallException e ? e : http.failures().map(parsed.cause(), target,
                  Phase.READING, timeoutMillis)));
    }
  }

  /** The deadline: a call still waiting for a slot was never sent; a sent one is reset. */
  private void expire() {
    timer = -1;
    if (ended) {
      return;
    }
    http.slots().withdraw(this);
    if (state.compareAndSet(QUEUED, ENDED)) {
      end(null, new AgentCallException(Kind.TIMEOUT, "not sent to " + target.url() + ": its " + timeoutMillis
          + " ms ran out while it waited for one of the " + http.slotCount() + " agent-call workers (all busy; "
          + "hub --agent-calls sets how many)"));
    } else {
      cut(new AgentCallException(Kind.TIMEOUT, "no answer from " + target.url() + " within " + timeoutMillis
          + " ms"));
    }
  }

  private void fail(Throwable failure) {
    end(null, http.failures().map(failure, target, phase, timeoutMillis));
  }

  /** Ends the call and closes its connection: whatever the agent sends after this is never read. */
  private void cut(AgentCallException failure) {
    end(null, failure);
    if (request != null) {
      request.reset();
    }
  }

  private void end(Object result, AgentCallException failure) {
    if (ended) {
      return;
    }
    ended = true;
    if (timer >= 0) {
      http.vertx().cancelTimer(timer);
    }
    if (state.getAndSet(ENDED) == RUNNING) {
      http.slots().release();
    }
    if (failure != null) {
      promise.fail(failure);
    } else {
      promise.complete(result);
    }
  }

  private AgentCallException tooBig() {
    return new AgentCallException(Kind.PROTOCOL, "response exceeds " + http.maxResponseBytes() + " bytes");
  }

  private static AgentCallException closed() {
    return new AgentCallException(Kind.OVERLOADED, "agent client is closed");
  }
}
