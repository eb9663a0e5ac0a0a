package dev.sessionhub.agent.impl.command;

import dev.sessionhub.agent.impl.metrics.AgentMetrics;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Hands commands to the session's main thread, at most {@code capacity} at a time, each with a time limit.
 *
 * <p>A command past the limit is answered {@link FaultCode#COMMAND_TIMEOUT} at once: if it is still queued it
 * will never run; if it is running its {@link AbortSignal} fires. A command beyond the capacity is answered
 * {@link FaultCode#SESSION_BUSY} without being queued. Results are delivered on the caller's Vert.x context; the
 * main thread never runs Vert.x callbacks.
 */
public final class CommandQueue {

  private enum State { QUEUED, RUNNING, DONE, TIMED_OUT }

  private final Vertx vertx;
  private final Executor mainThread;
  private final int capacity;
  private final Duration timeout;
  private final Function<Throwable, Throwable> errorMapper;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AgentMetrics metrics;

  /**
   * @param errorMapper turns what a task threw into what the caller sees (e.g. a Python error into a fault)
   * @param metrics counts each command's end and run time
   */
  public CommandQueue(Vertx vertx, Executor mainThread, int capacity, Duration timeout,
      Function<Throwable, Throwable> errorMapper, AgentMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.mainThread = mainThread;
    this.capacity = capacity;
    this.timeout = timeout;
    this.errorMapper = errorMapper;
  }

  /** Commands queued or running now. */
  public int depth() {
    return pending.get();
  }

  /** Commands that ran to an end (result or error) so far. */
  public int completed() {
    return completed.get();
  }

  public <T> Future<T> submit(CommandTask<T> task) {
    return submit(task, timeout);
  }

  /** Submits with a time limit of its own, never longer than the queue's. */
  public <T> Future<T> submit(CommandTask<T> task, Duration requested) {
    Duration limit = requested.compareTo(timeout) < 0 ? requested : timeout;
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      metrics.commandEnded("busy");
      return Future.failedFuture(new XmlRpcFaultException(FaultCode.SESSION_BUSY,
          "session busy: " + capacity + " commands already queued; retry later"));
    }
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
    AbortSignal abort = new AbortSignal();
    long timer = vertx.setTimer(limit.toMillis(), id -> onTimeout(state, abort, promise, limit));
    try {
      mainThread.execute(() -> runOnMainThread(task, state, abort, promise, context, timer));
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      vertx.cancelTimer(timer);
      metrics.commandEnded("error");
      return Future.failedFuture(new XmlRpcFaultException(FaultCode.INTERNAL_ERROR,
          "session is shutting down"));
    }
    return promise.future().andThen(ar -> metrics.commandEnded(outcome(ar.cause())));
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return "ok";
    }
    return failure instanceof XmlRpcFaultException f && f.fault().code() == FaultCode.COMMAND_TIMEOUT.code()
        ? "timeout" : "error";
  }

  private <T> void runOnMainThread(CommandTask<T> task, AtomicReference<State> state, AbortSignal abort,
      Promise<T> promise, Context context, long timer) {
    if (!state.compareAndSet(State.QUEUED, State.RUNNING)) {
      pending.decrementAndGet();
      return;
    }
    T result = null;
    Throwable failure = null;
    long began = System.nanoTime();
    try {
      result = task.run(abort);
    } catch (Throwable t) {
      failure = errorMapper.apply(t);
    } finally {
      metrics.commandRan(System.nanoTime() - began);
      state.set(State.DONE);
      pending.decrementAndGet();
      completed.incrementAndGet();
    }
    T value = result;
    Throwable error = failure;
    context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (error == null) {
        promise.tryComplete(value);
      } else {
        promise.tryFail(error);
      }
    });
  }

  private <T> void onTimeout(AtomicReference<State> state, AbortSignal abort, Promise<T> promise,
      Duration after) {
    String limit = describe(after);
    if (state.compareAndSet(State.QUEUED, State.TIMED_OUT)) {
      promise.tryFail(new XmlRpcFaultException(FaultCode.COMMAND_TIMEOUT,
          "command timed out: waited " + limit + " in the queue behind other commands and never ran"));
    } else if (state.get() == State.RUNNING) {
      abort.fire("command timed out after " + limit);
      promise.tryFail(new XmlRpcFaultException(FaultCode.COMMAND_TIMEOUT,
          "command timed out after " + limit + "; it was interrupted"));
    }
  }

  static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
