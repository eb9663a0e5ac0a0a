package dev.sessionhub.hub.jobs;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.sessionhub.hub.inventory.Addresses;
import dev.sessionhub.hub.inventory.Inventory;
import dev.sessionhub.hub.inventory.SessionRecord;
import dev.sessionhub.shared.selector.Selector;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import dev.sessionhub.hub.audit.AuditLog;
import dev.sessionhub.hub.cluster.ClusterSecrets;
import dev.sessionhub.hub.cluster.HostOwners;
import dev.sessionhub.hub.cluster.MemberTrust;

/**
 * Starts and finishes jobs on the hub a caller talks to (the coordinator). A job resolves its targets once,
 * is stored, then each target's command is sent to the hub owning that session's host (one batch per owner,
 * through Hazelcast's executor), so calls leave from the hub closest to the work. Every target ends in exactly
 * one state: an owner that dies mid-job turns its unfinished targets {@code unreachable}; anything still open at
 * the deadline turns {@code timeout}.
 */
public final class JobService {

  /** Room beyond the per-target timeout for owners to record their results. */
  static final Duration GRACE = Duration.ofSeconds(6);

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Inventory inventory;
  private final JobStore store;
  private final Clock clock;
  private final String hubId;
  private final CommandRunner localRunner;
  private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
  private final AuditLog audit;
  private final ClusterSecrets secrets;
  private final MemberTrust trust;
  private final HostOwners owners;
  private volatile dev.sessionhub.hub.metrics.JobMetrics metrics = dev.sessionhub.hub.metrics.JobMetrics.NONE;

  /** @param localRunner runs the batches this hub owns itself, without a trip through the executor */
  public JobService(Vertx vertx, HazelcastInstance hazelcast, Inventory inventory, JobStore store, Clock clock,
      String hubId, CommandRunner localRunner, AuditLog audit, ClusterSecrets secrets, MemberTrust trust,
      HostOwners owners) {
    this.owners = owners;
    this.secrets = secrets;
    this.trust = trust;
    this.localRunner = localRunner;
    this.audit = audit;
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.inventory = inventory;
    this.store = store;
    this.clock = clock;
    this.hubId = hubId;
  }

  /** A command in every session matching {@code selector}. */
  public Future<Job> broadcast(Selector selector, String code, Duration timeout, JobRequester requester) {
    return inventory.find(selector).compose(targets ->
        start("broadcast", selector.toString(), code, timeout, requester, targets));
  }

  /** A command in one session; fails with {@link FaultCode#NOT_FOUND} if the hub does not know it. */
  public Future<Job> route(String address, String code, Duration timeout, JobRequester requester) {
    return inventory.lookup(address).compose(record -> {
      if (record == null) {
        return Future.failedFuture(new XmlRpcFaultException(FaultCode.NOT_FOUND, "no session at " + address
            + " (addresses are host:port, as 'sessionhub ls' shows them)"));
      }
      return start("route", address, code, timeout, requester, List.of(record));
    });
  }

  private Future<Job> start(String kind, String selector, String code, Duration timeout, JobRequester requester,
      List<SessionRecord> targets) {
    Instant now = clock.instant();
    List<String> addresses = targets.stream().map(SessionRecord::address).toList();
    Job job = new Job(UUID.randomUUID().toString(), kind, selector, code, timeout.toMillis(), now,
        requester.describe(), hubId, addresses, now.plus(timeout).plus(GRACE));
    RunningJob run = new RunningJob(job);
    running.put(job.id(), run);
    run.finished().future().onComplete(ar -> viewOf(run).onComplete(view -> {
      running.remove(job.id());
      if (view.succeeded()) {
        metrics.jobFinished(view.result());
        audit.jobFinished(view.result());
      }
    }));
    // the commands go out first; the audit line and the job record are written while they run: a caller never
    // waits for either, readers elsewhere see the record within a write's time, and the job counts as finished
    // only once it is stored (so its job.finished audit line always follows its job.started)
    Promise<Void> dispatched = Promise.promise();
    dispatch(run, targets, dispatched);
    audit.jobStarted(job, requester);
    Future<Void> recorded = store.putUntilStored(job);
    Future.join(recorded, dispatched.future()).onComplete(ar -> run.finished().tryComplete());
    return Future.succeededFuture(job);
  }

  private void dispatch(RunningJob run, List<SessionRecord> targets, Promise<Void> finished) {
    Job job = run.job();
    Map<Member, Map<String, String>> byOwner = new HashMap<>();
    java.util.Set<String> timeoutAware = new java.util.HashSet<>();
    for (SessionRecord r : targets) {
      if (!r.info().agentVersion().isEmpty()) {
        timeoutAware.add(r.address());
      }
      byOwner.computeIfAbsent(ownerOf(r.address()), m -> new LinkedHashMap<>()).put(r.address(), r.url());
    }
    SendFence.BatchTicket ticket = new SendFence.BatchTicket(hubId, clock.instant(),
        job.createdAt().plusMillis(job.timeoutMs()));
    List<Future<Void>> batches = new ArrayList<>();
    byOwner.forEach((owner, batch) -> batches.add(sendBatch(run, owner, batch, timeoutAware, ticket, true)));
    long deadlineMs = Math.max(1, Duration.between(clock.instant(), job.deadline()).toMillis());
    long timer = vertx.setTimer(deadlineMs, id -> markOpen(run, job.targets(), TargetState.TIMEOUT,
        FaultCode.COMMAND_TIMEOUT.code(), "no result within the job's timeout of " + job.timeoutMs() + " ms")
        .onComplete(ar -> finished.tryComplete()));
    Future.join(batches).onComplete(ar -> {
      vertx.cancelTimer(timer);
      finished.tryComplete();
    });
  }

  /** The member that owns the host of {@code address} now (this one if none does). */
  private Member ownerOf(String address) {
    Member owner = owners.ownerOf(Addresses.hostOf(address));
    return owner != null ? owner : hazelcast.getCluster().getLocalMember();
  }

  /**
   * Sends one owner's batch and completes once every target in it has its end recorded. A batch that certainly
   * never reached its owner (no longer a member when it was sent) goes once more through whichever member owns
   * the hosts now ({@code mayResend}); one that may have reached it ends {@code unknown}, never claimed not run.
   */
  private Future<Void> sendBatch(RunningJob run, Member owner, Map<String, String> batch, java.util.Set<String>
      timeoutAware, SendFence.BatchTicket ticket, boolean mayResend) {
    Job job = run.job();
    Promise<Void> sent = Promise.promise();
    if (owner.localMember()) {
      run.runsHere(batch.keySet());
      localRunner.run(job.id(), job.code(), Duration.ofMillis(job.timeoutMs()), batch, timeoutAware, ticket, run)
          .onComplete(ar -> sent.tryComplete());
      return sent.future();
    }
    run.hasRemoteTargets();
    if (!trust.trusts(owner)) {
      markOpen(run, batch.keySet(), TargetState.ERROR, FaultCode.UNAUTHORIZED.code(),
          "not sent: the member that owns this session (" + owner.getAddress() + ") is not a trusted member")
          .onComplete(ar -> sent.tryComplete());
      return sent.future();
    }
    IExecutorService executor = hazelcast.getExecutorService(RunBatchTask.EXECUTOR);
    executor.submitToMember(new RunBatchTask(job.id(), job.code(), job.timeoutMs(), batch, timeoutAware, ticket)
            .signedWith(secrets), owner,
        new ExecutionCallback<Integer>() {
          @Override
          public void onResponse(Integer count) {
            sent.tryComplete();
          }

          @Override
          public void onFailure(Throwable t) {
            vertx.runOnContext(v -> failedBatch(run, owner, batch, timeoutAware, ticket, mayResend, t)
                .onComplete(ar -> sent.tryComplete()));
          }
        });
    return sent.future();
  }

  private Future<Void> failedBatch(RunningJob run, Member owner, Map<String, String> batch,
      java.util.Set<String> timeoutAware, SendFence.BatchTicket ticket, boolean mayResend, Throwable t) {
    if (BatchFailures.neverDelivered(t)) {
      if (mayResend) {
        Map<Member, Map<String, String>> byNewOwner = new HashMap<>();
        batch.forEach((address, url) -> byNewOwner.computeIfAbsent(ownerOf(address), m -> new LinkedHashMap<>())
            .put(address, url));
        if (!byNewOwner.containsKey(owner)) {
          List<Future<Void>> resent = new ArrayList<>();
          byNewOwner.forEach((m, part) -> resent.add(sendBatch(run, m, part, timeoutAware, ticket, false)));
          return Future.join(resent).mapEmpty();
        }
      }
      return markOpen(run, batch.keySet(), TargetState.UNREACHABLE, FaultCode.UNREACHABLE.code(),
          "not sent: the hub that owns this session (" + owner.getAddress() + ") could not take the batch ("
              + BatchFailures.describe(t) + "); the command did not run");
    }
    return markOpen(run, batch.keySet(), TargetState.UNKNOWN, FaultCode.OUTCOME_UNKNOWN.code(),
        "outcome unknown: the hub that owns this session (" + owner.getAddress() + ") failed while the command "
            + "may have been in flight (" + BatchFailures.describe(t) + "); it may or may not have run");
  }

  /**
   * Gives every listed target that has no result yet the state given; targets that ended keep their end. Who
   * decides a target's one end: this hub's memory ({@link RunningJob}) for the targets it runs itself, the
   * store's put-if-absent for targets another hub runs; this method asks the same decider as the runner does.
   */
  private Future<Void> markOpen(RunningJob run, java.util.Collection<String> addresses, TargetState state, int code,
      String message) {
    Job job = run.job();
    List<Future<Boolean>> writes = new ArrayList<>();
    for (String address : addresses) {
      if (run.isLocallyKnown(address)) {
        continue;
      }
      TargetResult result = TargetResult.failed(job.id(), address, state, code, message, clock.instant(),
          Duration.between(job.createdAt(), clock.instant()).toMillis(), hubId);
      if (run.isRunHere(address)) {
        if (run.test(result)) {
          writes.add(store.putResult(result));
        }
      } else {
        writes.add(store.putResult(result).map(first -> first && run.test(result)));
      }
    }
    return Future.join(writes).mapEmpty();
  }

  /**
   * A job this hub coordinates, as far as known now: what is stored laid under what this hub decided in memory.
   * Needs no job record from the store (it may not be readable, e.g. while the member holding it is frozen).
   */
  private Future<JobView> viewOf(RunningJob run) {
    return store.resultsOf(run.job()).map(stored -> run.overlay(stored, clock.instant()))
        .recover(e -> Future.succeededFuture(run.snapshot(clock.instant())));
  }

  /**
   * The job once every target has ended, or null for a job nobody knows. A job this hub coordinates completes
   * as its batches do; one started elsewhere (its coordinator maybe dead) is read until done, which its
   * deadline guarantees.
   */
  public Future<JobView> await(String jobId) {
    RunningJob local = running.get(jobId);
    if (local != null) {
      Future<JobView> fromMemory = local.localView(clock.instant());
      return fromMemory != null ? fromMemory : local.finished().future().compose(v -> viewOf(local))
          .compose(view -> view.done() ? Future.succeededFuture(view) : later(jobId));
    }
    return store.view(jobId).compose(view -> {
      if (view == null || view.done()) {
        return Future.succeededFuture(view);
      }
      return later(jobId);
    });
  }

  private Future<JobView> later(String jobId) {
    Promise<JobView> later = Promise.promise();
    vertx.setTimer(200, id -> await(jobId).onComplete(later));
    return later.future();
  }

  /** The job as far as known now, or null for a job nobody knows. */
  public Future<JobView> view(String jobId) {
    RunningJob local = running.get(jobId);
    return local == null ? store.view(jobId) : viewOf(local);
  }

  public Future<List<JobView>> recent(int limit) {
    return store.recent(limit);
  }

  /** Counts each job this hub coordinates, and its targets' ends, in {@code metrics} (set once, at wiring). */
  public void observe(dev.sessionhub.hub.metrics.JobMetrics metrics) {
    this.metrics = metrics;
  }
}
