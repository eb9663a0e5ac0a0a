package dev.sessionhub.agent.impl.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Reads a request body within a size and a time limit, with Content-Length or chunked encoding.
 *
 * <p>A declared length over the limit is refused before any byte is read; a chunked body is refused the moment
 * it passes the limit, so a body that never ends costs at most the limit. A body that stalls (a slow-loris
 * client) is refused when the read time runs out. Refusals fail the future with a {@link BodyRejected}
 * carrying the HTTP status to answer.
 */
public final class BodyReader {

  /** Why a body was not read; {@code status} is the HTTP status to answer. */
  public static final class BodyRejected extends RuntimeException {
    private final int status;

    BodyRejected(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Vertx vertx;
  private final int maxBytes;
  private final Duration readTimeout;

  public BodyReader(Vertx vertx, int maxBytes, Duration readTimeout) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
    this.readTimeout = readTimeout;
  }

  public int maxBytes() {
    return maxBytes;
  }

  public Future<Buffer> read(HttpServerRequest request) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(new BodyRejected(400, "bad Content-Length '" + declared + "'"));
      }
      if (length > maxBytes) {
        return Future.failedFuture(tooLarge());
      }
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer(declared == null ? 1024 : (int) Math.min(Long.parseLong(declared.trim()), maxBytes));
    // The clock is armed after the bytes at hand are handled: a small body arrives with its headers and then
    // never needs a timer (arming and cancelling one per request was a measurable share of an agent's work).
    long[] timer = {-1};
    vertx.getOrCreateContext().runOnContext(v -> {
      if (!promise.future().isComplete()) {
        timer[0] = vertx.setTimer(readTimeout.toMillis(), id -> promise.tryFail(
            new BodyRejected(408, "request body not received within " + readTimeout.toMillis() + " ms")));
      }
    });
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        promise.tryFail(tooLarge());
      } else if (!promise.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    return promise.future().andThen(ar -> {
      if (timer[0] >= 0) {
        vertx.cancelTimer(timer[0]);
      }
    });
  }

  private BodyRejected tooLarge() {
    return new BodyRejected(413, "request body exceeds " + maxBytes + " bytes");
  }
}
