package dev.sessionhub.hub.impl.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The caller's side of one call: its promise, its deadline timer and the context to answer on.
 *
 * <p>Why: a call can end three ways that race (the worker's answer, the deadline timer, the pool refusing or
 * closing), and the caller must see exactly one outcome, on its own context, with the timer cancelled. The
 * first {@link #succeed}/{@link #fail} wins; {@link #isDone()} lets a worker skip a call its caller has already
 * given up on, so a late {@code command} is never sent.
 */
final class PendingCall {

  private final Vertx vertx;
  private final Context context;
  private final Promise<Object> promise = Promise.promise();
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile boolean sent;
  private volatile long timerId = -1;

  PendingCall(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  /**
   * Fails the call with {@code onExpiry} after {@code delayMillis} unless it ended before, and then runs {@code
   * cut} on a Vert.x worker thread (it may block) to free the call's own worker. The failure is made only then:
   * an exception with its stack trace, made for every call that never times out, was a tenth of a call's cost
   * on the event loop.
   */
  void expireAfter(long delayMillis, Supplier<AgentCallException> onExpiry, Runnable cut) {
    timerId = vertx.setTimer(delayMillis, id -> {
      if (fail(onExpiry.get())) {
        vertx.executeBlocking(() -> {
          cut.run();
          return null;
        }, false);
      }
    });
    if (done.get()) {
      vertx.cancelTimer(timerId);
    }
  }

  boolean isDone() {
    return done.get();
  }

  /** A worker took the call and is sending it (until then it waited in the pool's queue). */
  void sending() {
    sent = true;
  }

  boolean wasSent() {
    return sent;
  }

  void succeed(Object result) {
    if (done.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        cancelTimer();
        promise.complete(result);
      });
    }
  }

  /** Fails the call unless it already ended; true if this failure is the outcome. */
  boolean fail(AgentCallException failure) {
    if (done.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        cancelTimer();
        promise.fail(failure);
      });
      return true;
    }
    return false;
  }

  Future<Object> future() {
    return promise.future();
  }

  /** On the caller's context, where the timer was set: cancelling from a worker would queue a task there anyway. */
  private void cancelTimer() {
    long id = timerId;
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }
}
