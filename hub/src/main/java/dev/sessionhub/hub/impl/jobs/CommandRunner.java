package dev.sessionhub.hub.impl.jobs;

import dev.sessionhub.hub.impl.client.AgentCallException;
import dev.sessionhub.hub.impl.client.AgentClient;
import dev.sessionhub.hub.impl.client.SendGate;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a job's command on the targets this hub owns: one {@code command(code)} per target through the bounded
 * agent client, each with the job's per-target timeout, and records each target's end as soon as it has one.
 * The outcome mapping is here and only here: output (a string) → ok, fault or any other answer → error, no
 * answer in time → timeout, no connection → unreachable.
 */
public final class CommandRunner {

  private final Vertx vertx;
  private final AgentClient client;
  private final JobStore store;
  private final Clock clock;
  /** This hub's id ({@code cluster/HubIds}): the same across merges, unlike its Hazelcast member UUID. */
  private final java.util.function.Supplier<String> hubId;
  private final SendFence fence;
  private final JobCancels cancels;
  private final AgentClient control;
  private final OutputFollowers followers;
  /** The cancellable commands this hub has handed to its agent client, by job, then address → agent URL. */
  private final Map<String, Map<String, String>> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile dev.sessionhub.hub.impl.metrics.JobMetrics metrics = dev.sessionhub.hub.impl.metrics.JobMetrics.NONE;

  /**
   * @param control a small client of its own for {@code cancel} calls, which must not wait behind the commands
   *     they cancel (those may hold every worker of {@code client})
   * @param followers follow the output of commands sent with an id while they run
   */
  public CommandRunner(Vertx vertx, AgentClient client, AgentClient control, OutputFollowers followers,
      JobStore store, Clock clock, java.util.function.Supplier<String> hubId, SendFence fence, JobCancels cancels) {
    this.followers = followers;
    this.fence = fence;
    this.cancels = cancels;
    this.control = control;
    this.vertx = vertx;
    this.client = client;
    this.store = store;
    this.clock = clock;
    this.hubId = hubId;
  }

  /**
   * Runs {@code code} on every target (address → url); completes when every result is recorded, with each
   * target's end as it stands in the store (this hub's, or one its coordinator recorded first). Agents in
   * {@code timeoutAware} get the timeout as {@code command}'s second parameter and stop the code themselves; the
   * hub then waits a second longer so their answer (a -32002 fault) arrives before its own deadline. Each
   * command passes the {@link SendFence} right before it is sent, or ends {@code unreachable}, never sent.
   */
  public Future<List<TargetResult>> run(String jobId, String code, Duration timeout, Map<String, String> targets,
      Set<String> timeoutAware, Set<String> cancellable, SendFence.BatchTicket ticket) {
    return run(jobId, code, timeout, targets, timeoutAware, cancellable, ticket, null);
  }

  /**
   * The job was cancelled: asks every agent running or queueing one of its commands sent from here to cancel
   * it ({@code cancel(jobId)}: every command of a job carries the job's id). Commands this hub has not sent yet
   * are stopped by the send gate.
   */
  public void cancel(String jobId) {
    Map<String, String> targets = inFlight.get(jobId);
    if (targets == null) {
      return;
    }
    targets.forEach((address, url) -> control.call(url, "cancel", List.of(jobId), CANCEL_TIMEOUT));
  }

  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The same for the coordinating hub's own targets: each result is offered to {@code decide} (the job's
   * {@link RunningJob}) first, and only results it accepts are stored; the list then holds those. With {@code
   * decide} null (a batch sent by another hub) every result is stored. Either way through the one first-write-wins
   * sink ({@link JobStore#putResult(TargetResult, boolean)}).
   */
  Future<List<TargetResult>> run(String jobId, String code, Duration timeout, Map<String, String> targets,
      Set<String> timeoutAware, Set<String> cancellable, SendFence.BatchTicket ticket, RunningJob decide) {
    SendGate gate = () -> cancels.isCancelled(jobId) ? CANCELLED_BEFORE_SENT : fence.refusal(ticket);
    List<Future<TargetResult>> done = new ArrayList<>(targets.size());
    java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(targets.size());
    targets.forEach((address, url) -> done.add(runOne(jobId, address, url, code, timeout,
        timeoutAware.contains(address), cancellable.contains(address), gate, decide, open)));
    // a result that could not be stored fails the batch, so its coordinator records those targets as unknown
    return Future.join(done).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(ar.cause());
      }
      List<TargetResult> ends = new ArrayList<>(done.size());
      done.forEach(f -> {
        if (f.result() != null) {
          ends.add(f.result());
        }
      });
      return Future.succeededFuture(ends);
    });
  }

  private static final String CANCELLED_BEFORE_SENT = "cancelled before it was sent; the command did not run";

  /**
   * The target's end as it stands once stored; null if {@code decide} kept an earlier one. {@code open} counts the
   * batch's targets without an end yet.
   */
  private Future<TargetResult> runOne(String jobId, String address, String url, String code, Duration timeout,
      boolean agentStopsCode, boolean agentCancels, SendGate gate, RunningJob decide,
      java.util.concurrent.atomic.AtomicInteger open) {
    long start = System.nanoTime();
    double seconds = timeout.toMillis() / 1000.0;
    List<Object> params = agentCancels ? List.of(code, seconds, jobId)
        : agentStopsCode ? List.of(code, seconds) : List.of(code);
    Duration wait = agentStopsCode ? timeout.plusSeconds(1) : timeout;
    if (agentCancels) {
      inFlight.computeIfAbsent(jobId, j -> new java.util.concurrent.ConcurrentHashMap<>()).put(address, url);
    }
    OutputFollower follower = agentCancels ? followers.follower(jobId, address, url) : null;
    Future<Object> call = client.call(url, "command", params, wait, follower == null ? gate
        : tellingOnSend(gate, follower));
    Future<Object> replied = follower == null ? call
        : call.transform(ar -> follower.replied().transform(f -> ar.succeeded()
            ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause())));
    return replied.transform(ar -> {
      if (agentCancels) {
        Map<String, String> job = inFlight.get(jobId);
        if (job != null && job.remove(address) != null && job.isEmpty()) {
          inFlight.remove(jobId, job);
        }
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      TargetResult result = ar.succeeded() ? answered(jobId, address, ar.result(), ms)
          : failure(jobId, address, ar.cause(), ms);
      if (cancels.isCancelled(jobId) && result.state() != TargetState.CANCELLED) {
        result = result.finishedAfterCancel();
      }
      metrics.commandEnded(result.state(), System.nanoTime() - start);
      boolean last = open.decrementAndGet() == 0;
      if (decide == null) {
        return store.putResult(result, last);
      }
      return decide.test(result) ? store.putResult(result, last) : Future.succeededFuture();
    });
  }

  /**
   * The gate, which also tells the follower when it lets the command go (the agent answers {@code output} for it
   * from then on). Asked on the worker that sends.
   */
  private static SendGate tellingOnSend(SendGate gate, OutputFollower follower) {
    java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      String refusal = gate.refusal();
      if (refusal == null && sent.compareAndSet(false, true)) {
        follower.sent();
      }
      return refusal;
    };
  }

  /** {@code command} answers the output as a string; anything else is an agent that is broken or hostile. */
  private TargetResult answered(String jobId, String address, Object value, long ms) {
    if (value instanceof String output) {
      return TargetResult.ok(jobId, address, output, clock.instant(), ms, hubId.get());
    }
    return TargetResult.failed(jobId, address, TargetState.ERROR, FaultCode.INTERNAL_ERROR.code(),
        "command answered " + wireType(value) + " instead of its output as a string", clock.instant(), ms,
        hubId.get());
  }

  private static String wireType(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof Map) {
      return "a struct";
    }
    if (value instanceof Object[] || value instanceof List) {
      return "an array";
    }
    if (value instanceof byte[]) {
      return "base64";
    }
    if (value instanceof Integer || value instanceof Long) {
      return "an int";
    }
    return "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  private TargetResult failure(String jobId, String address, Throwable cause, long ms) {
    if (!(cause instanceof AgentCallException e)) {
      return TargetResult.failed(jobId, address, TargetState.ERROR, FaultCode.INTERNAL_ERROR.code(),
          String.valueOf(cause), clock.instant(), ms, hubId.get());
    }
    if (e.kind() == AgentCallException.Kind.NOT_SENT && cancels.isCancelled(jobId)
        || e.kind() == AgentCallException.Kind.FAULT && e.faultCode() == FaultCode.COMMAND_CANCELLED.code()) {
      return TargetResult.failed(jobId, address, TargetState.CANCELLED, FaultCode.COMMAND_CANCELLED.code(),
          e.getMessage(), clock.instant(), ms, hubId.get());
    }
    return switch (e.kind()) {
      case FAULT -> e.faultCode() == FaultCode.COMMAND_TIMEOUT.code()
          ? TargetResult.failed(jobId, address, TargetState.TIMEOUT, e.faultCode(), e.getMessage(), clock.instant(),
              ms, hubId.get())
          : TargetResult.failed(jobId, address, TargetState.ERROR, e.faultCode(), e.getMessage(), clock.instant(),
              ms, hubId.get());
      case TIMEOUT -> TargetResult.failed(jobId, address, TargetState.TIMEOUT, FaultCode.COMMAND_TIMEOUT.code(),
          e.getMessage(), clock.instant(), ms, hubId.get());
      case UNREACHABLE, NOT_SENT -> TargetResult.failed(jobId, address, TargetState.UNREACHABLE, FaultCode.UNREACHABLE.code(),
          e.getMessage(), clock.instant(), ms, hubId.get());
      // the agent had the command when its connection ended (it died running it, say): it may have run
      case NO_ANSWER -> TargetResult.failed(jobId, address, TargetState.UNKNOWN, FaultCode.UNREACHABLE.code(),
          e.getMessage() + "; the command may have run", clock.instant(), ms, hubId.get());
      case PROTOCOL, OVERLOADED -> TargetResult.failed(jobId, address, TargetState.ERROR,
          FaultCode.INTERNAL_ERROR.code(), e.getMessage(), clock.instant(), ms, hubId.get());
    };
  }

  /** Counts each command's end and time in {@code metrics} (set once, by the composition root). */
  public void observe(dev.sessionhub.hub.impl.metrics.JobMetrics metrics) {
    this.metrics = metrics;
  }
}
