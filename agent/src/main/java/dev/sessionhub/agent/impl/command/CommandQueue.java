package dev.sessionhub.agent.impl.command;

import dev.sessionhub.agent.impl.metrics.AgentMetrics;
import dev.sessionhub.shared.output.BoundedOutput;
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

  private enum State { QUEUED, RUNNING, DONE, TIMED_OUT, CANCELLED }

  /** What {@link #cancel} did. */
  public enum Cancelled {
    /** The command was still queued: removed, it will never run. */
    REMOVED,
    /** The command was running: its abort signal fired. */
    INTERRUPTED,
    /** No live command has that id (it ended, or never arrived). */
    UNKNOWN;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The longest command id accepted. */
  public static final int MAX_ID_LENGTH = 200;

  /** How long an ended command's output stays readable by {@link #followed}. */
  public static final Duration ENDED_OUTPUT_KEPT = Duration.ofSeconds(30);

  /** A command submitted with an id, while it is queued or running. */
  private record Live(AtomicReference<State> state, AbortSignal abort, Promise<?> promise, long timer) {
  }

  /** A command submitted with an id, from its submission until {@link #ENDED_OUTPUT_KEPT} after it ended. */
  private static final class Followable {
    final AtomicReference<State> state;
    final BoundedOutput output;
    /** When its output ended ({@link System#nanoTime()}), or -1 while it runs. */
    volatile long endedAt = -1;

    Followable(AtomicReference<State> state, BoundedOutput output) {
      this.state = state;
      this.output = output;
    }
  }

  /** How often, at most, ended commands' outputs are swept (on a submission; no timer per command). */
  private static final long SWEEP_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
  private volatile long lastSweep = System.nanoTime();

  /** What {@link #followed} finds: where the command is, and its output so far. */
  public record Followed(String state, BoundedOutput output) {
  }

  private final java.util.Map<String, Live> live = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, Followable> followable = new java.util.concurrent.ConcurrentHashMap<>();

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
    return submit(task, requested, null);
  }

  /**
   * Submits with a time limit of its own and an id under which {@link #cancel} finds it while it is queued or
   * running (null for none). An id already in use by a live command is refused with {@code INVALID_PARAMS}.
   */
  public <T> Future<T> submit(CommandTask<T> task, Duration requested, String id) {
    if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
      return Future.failedFuture(new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
          "command id must be 1 to " + MAX_ID_LENGTH + " characters"));
    }
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
    BoundedOutput output = new BoundedOutput();
    long timer = vertx.setTimer(limit.toMillis(), t -> onTimeout(state, abort, promise, limit, output));
    if (id != null) {
      if (live.putIfAbsent(id, new Live(state, abort, promise, timer)) != null) {
        pending.decrementAndGet();
        vertx.cancelTimer(timer);
        return Future.failedFuture(new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
            "a command with id " + id + " is already queued or running"));
      }
      promise.future().onComplete(ar -> live.remove(id));
      Followable entry = new Followable(state, output);
      followable.put(id, entry);
      output.whenEnded(() -> entry.endedAt = System.nanoTime());
      sweepEndedOutputs();
    }
    try {
      mainThread.execute(() -> runOnMainThread(task, state, abort, promise, context, timer, output));
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      vertx.cancelTimer(timer);
      output.end();
      if (id != null) {
        live.remove(id);
      }
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
      Promise<T> promise, Context context, long timer, BoundedOutput output) {
    if (!state.compareAndSet(State.QUEUED, State.RUNNING)) {
      pending.decrementAndGet();
      return;
    }
    T result = null;
    Throwable failure = null;
    long began = System.nanoTime();
    try {
      result = task.run(abort, output);
    } catch (Throwable t) {
      failure = errorMapper.apply(t);
    } finally {
      metrics.commandRan(System.nanoTime() - began);
      state.set(State.DONE);
      output.end();
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

  /**
   * Cancels the live command submitted under {@code id}: a queued one is removed and answered {@code
   * COMMAND_CANCELLED} (it never runs), a running one is interrupted through its abort signal and answered the
   * same. Call on a Vert.x context.
   */
  public Cancelled cancel(String id) {
    Live command = id == null ? null : live.get(id);
    if (command == null) {
      return Cancelled.UNKNOWN;
    }
    if (command.state().compareAndSet(State.QUEUED, State.CANCELLED)) {
      vertx.cancelTimer(command.timer());
      endOutput(id);
      command.promise().tryFail(new XmlRpcFaultException(FaultCode.COMMAND_CANCELLED,
          "command cancelled before it ran"));
      return Cancelled.REMOVED;
    }
    if (command.state().get() == State.RUNNING) {
      command.abort().fire("command cancelled");
      vertx.cancelTimer(command.timer());
      command.promise().tryFail(new XmlRpcFaultException(FaultCode.COMMAND_CANCELLED,
          "command cancelled while it ran; it was interrupted"));
      return Cancelled.INTERRUPTED;
    }
    return Cancelled.UNKNOWN;
  }

  /**
   * The command submitted under {@code id} while it is queued or running and for {@link #ENDED_OUTPUT_KEPT} after
   * it ended: its state ({@code queued}, {@code running} or {@code ended}) and its output; empty if none.
   */
  public java.util.Optional<Followed> followed(String id) {
    Followable entry = id == null ? null : followable.get(id);
    if (entry == null || entry.endedAt >= 0 && System.nanoTime() - entry.endedAt > ENDED_OUTPUT_KEPT.toNanos()) {
      return java.util.Optional.empty();
    }
    String state = entry.output.ended() ? "ended" : entry.state.get() == State.QUEUED ? "queued" : "running";
    return java.util.Optional.of(new Followed(state, entry.output));
  }

  /** Forgets the outputs of commands that ended more than {@link #ENDED_OUTPUT_KEPT} ago (at most every 5 s). */
  private void sweepEndedOutputs() {
    long now = System.nanoTime();
    if (now - lastSweep < SWEEP_EVERY_NANOS) {
      return;
    }
    lastSweep = now;
    followable.values().removeIf(e -> e.endedAt >= 0 && now - e.endedAt > ENDED_OUTPUT_KEPT.toNanos());
  }

  private void endOutput(String id) {
    Followable entry = followable.get(id);
    if (entry != null) {
      entry.output.end();
    }
  }

  private <T> void onTimeout(AtomicReference<State> state, AbortSignal abort, Promise<T> promise,
      Duration after, BoundedOutput output) {
    String limit = describe(after);
    if (state.compareAndSet(State.QUEUED, State.TIMED_OUT)) {
      output.end();
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
