package dev.sessionhub.hub.impl.jobs;

import dev.sessionhub.shared.scan.HostPort;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.inventory.SessionRecord;
import dev.sessionhub.shared.selector.Selector;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import io.vertx.core.Context;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import dev.sessionhub.hub.impl.audit.AuditLog;
import dev.sessionhub.hub.impl.cluster.ClusterSecrets;
import dev.sessionhub.hub.impl.cluster.HostOwners;
import dev.sessionhub.hub.impl.cluster.HubIds;
import dev.sessionhub.hub.impl.cluster.MemberTrust;

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
  /** This hub's id ({@code cluster/HubIds}): the same across merges, unlike its Hazelcast member UUID. */
  private final java.util.function.Supplier<String> hubId;
  private final CommandRunner localRunner;
  private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
  private final AuditLog audit;
  private final ClusterSecrets secrets;
  private final MemberTrust trust;
  private final HostOwners owners;
  private final JobCancels cancels;
  private final JobOutputs outputs;
  private volatile dev.sessionhub.hub.impl.metrics.JobMetrics metrics = dev.sessionhub.hub.impl.metrics.JobMetrics.NONE;

  /** @param localRunner runs the batches this hub owns itself, without a trip through the executor */
  public JobService(Vertx vertx, HazelcastInstance hazelcast, Inventory inventory, JobStore store, Clock clock,
      java.util.function.Supplier<String> hubId, CommandRunner localRunner, AuditLog audit, ClusterSecrets secrets,
      MemberTrust trust,
      HostOwners owners, JobCancels cancels, JobOutputs outputs) {
    this.outputs = outputs;
    this.owners = owners;
    this.cancels = cancels;
    cancels.onCancel(jobId -> vertx.runOnContext(v -> cancelledHere(jobId)));
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

  /** A command in every session matching {@code selector}, all at once. */
  public Future<Job> broadcast(Selector selector, String code, Duration timeout, JobRequester requester) {
    return broadcast(selector, code, timeout, Rollout.ALL_AT_ONCE, requester);
  }

  /** A command in every session matching {@code selector}, rolled out as {@code rollout} says. */
  public Future<Job> broadcast(Selector selector, String code, Duration timeout, Rollout rollout,
      JobRequester requester) {
    return inventory.find(selector).compose(targets ->
        start("broadcast", selector.toString(), code, timeout, rollout, requester, targets));
  }

  /** A command in one session; fails with {@link JobRefusal.Reason#UNKNOWN_SESSION} if the hub does not know it. */
  public Future<Job> route(String address, String code, Duration timeout, JobRequester requester) {
    return inventory.lookup(address).compose(record -> {
      if (record == null) {
        return Future.failedFuture(new JobRefusal(JobRefusal.Reason.UNKNOWN_SESSION, "no session at " + address
            + " (addresses are host:port, as 'sessionhub ls' shows them)"));
      }
      return start("route", address, code, timeout, Rollout.ALL_AT_ONCE, requester, List.of(record));
    });
  }

  private Future<Job> start(String kind, String selector, String code, Duration timeout, Rollout rollout,
      JobRequester requester, List<SessionRecord> targets) {
    Instant now = clock.instant();
    List<String> addresses = targets.stream().map(SessionRecord::address).toList();
    int waveSize = rollout.waveSize(targets.size());
    int waves = Math.max(1, (targets.size() + waveSize - 1) / waveSize);
    Duration span = timeout.multipliedBy(waves).plus(rollout.batchWait().multipliedBy(waves - 1L));
    Job job = new Job(UUID.randomUUID().toString(), kind, selector, code, timeout.toMillis(), now,
        requester.describe(), hubId.get(), addresses, now.plus(span).plus(GRACE), rollout, List.of());
    RunningJob run = new RunningJob(job);
    if (rollout.rolling()) {
      // later waves may go to other hubs after a caller began to wait: never answer from memory alone
      run.hasRemoteTargets();
    }
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
    rollOut(run, targets, 0, waveSize, dispatched);
    audit.jobStarted(run.job(), requester);
    Future<Void> recorded = store.putUntilStored(run.job());
    Future.join(recorded, dispatched.future()).onComplete(ar -> run.finished().tryComplete());
    return Future.succeededFuture(run.job());
  }

  /**
   * Sends the wave of targets starting at {@code from}, then (rolling jobs) counts the failures so far and either
   * stops, ending every later target {@code skipped}, or waits the batch wait and sends the next. A cancelled job
   * sends no further wave: its later targets end {@code cancelled}, never sent.
   */
  private void rollOut(RunningJob run, List<SessionRecord> targets, int from, int waveSize, Promise<Void> done) {
    Job job = run.job();
    List<String> rest = targets.subList(from, targets.size()).stream().map(SessionRecord::address).toList();
    if (cancels.isCancelled(job.id()) && !rest.isEmpty()) {
      neverSent(run, rest, TargetState.CANCELLED, FaultCode.COMMAND_CANCELLED.code(),
          "cancelled before it was sent; the command did not run").onComplete(ar -> done.tryComplete());
      return;
    }
    List<SessionRecord> wave = targets.subList(from, Math.min(targets.size(), from + waveSize));
    Instant startedAt = clock.instant();
    run.addWave(new Job.Wave(job.waves().size(), wave.stream().map(SessionRecord::address).toList(), startedAt));
    boolean rolling = job.rollout().rolling();
    if (rolling && from > 0) {
      store.putUntilStored(run.job());
    }
    int next = from + wave.size();
    Promise<Void> waveDone = Promise.promise();
    dispatch(run, wave, startedAt, waveDone);
    Context context = vertx.getOrCreateContext();
    // batches report back on Hazelcast's threads: the rollout goes on on this job's Vert.x context
    waveDone.future().onComplete(sent -> context.runOnContext(onContext -> {
      if (next >= targets.size()) {
        done.tryComplete();
        return;
      }
      viewOf(run).onComplete(ar -> {
        int failures = ar.failed() ? 0 : (int) ar.result().results().stream()
            .filter(r -> r.state() != TargetState.OK).count();
        Job now = run.job();
        if (now.rollout().stopsAt(failures)) {
          neverSent(run, targets.subList(next, targets.size()).stream().map(SessionRecord::address).toList(),
              TargetState.SKIPPED, FaultCode.COMMAND_CANCELLED.code(), "skipped: the rollout stopped after "
                  + failures + " targets did not end ok (max failures " + now.rollout().maxFailures()
                  + "); the command was never sent").onComplete(x -> done.tryComplete());
          return;
        }
        // the wave waits where a cancel can take it (and send it at once, to end its targets cancelled)
        run.waitingWave(() -> rollOut(run, targets, next, waveSize, done));
        run.waitTimer(vertx.setTimer(Math.max(1, now.rollout().batchWait().toMillis()), id -> {
          Runnable due = run.takeWaitingWave(t -> { });
          if (due != null) {
            due.run();
          }
        }));
        if (cancels.isCancelled(now.id())) {
          cancelledHere(now.id());
        }
      });
    }));
  }

  /** Ends targets this coordinator never sent (later waves), deciding them in memory like its own targets. */
  private Future<Void> neverSent(RunningJob run, List<String> addresses, TargetState state, int code,
      String message) {
    run.runsHere(addresses);
    return markOpen(run, addresses, state, code, message);
  }

  /**
   * A job was cancelled (through any hub). The coordinator sends no further wave (one waiting for its batch wait
   * goes now, to end its targets cancelled); this hub's runner cancels the commands it has in flight.
   */
  private void cancelledHere(String jobId) {
    localRunner.cancel(jobId);
    RunningJob run = running.get(jobId);
    if (run != null) {
      Runnable due = run.takeWaitingWave(vertx::cancelTimer);
      if (due != null) {
        due.run();
      }
    }
  }

  /**
   * Cancels a job through this hub, whichever hub coordinates it (even a dead one): fails with {@link
   * JobRefusal.Reason#UNKNOWN_JOB} for a job nobody knows and {@link JobRefusal.Reason#JOB_ENDED} for one that
   * already ended.
   * Answers the job as it stands right after the cancel.
   */
  public Future<JobView> cancel(String jobId, JobRequester requester) {
    return view(jobId).compose(view -> {
      if (view == null) {
        return Future.failedFuture(new JobRefusal(JobRefusal.Reason.UNKNOWN_JOB, "no job " + jobId
            + " (jobs are kept for 24 h)"));
      }
      if (view.done()) {
        return Future.failedFuture(new JobRefusal(JobRefusal.Reason.JOB_ENDED, "job " + jobId
            + " already ended; nothing to cancel"));
      }
      return cancels.cancel(jobId, requester.describe()).compose(first -> {
        if (first) {
          audit.jobCancelled(jobId, requester);
        }
        return coordinatorAlive(view.job()) ? Future.succeededFuture() : cancelOrphanedWaves(view);
      }).compose(v -> view(jobId));
    });
  }

  private boolean coordinatorAlive(Job job) {
    return HubIds.isMember(hazelcast, job.coordinator());
  }

  /**
   * A rolling job whose coordinator died: targets of waves it never sent would otherwise stay open until its
   * deadline; nobody else can send them, so they end {@code cancelled} (put-if-absent: an owner's result wins).
   */
  private Future<Void> cancelOrphanedWaves(JobView view) {
    java.util.Set<String> sent = new java.util.HashSet<>();
    view.job().waves().forEach(w -> sent.addAll(w.targets()));
    if (!view.job().rollout().rolling()) {
      return Future.succeededFuture();
    }
    List<TargetResult> ends = new ArrayList<>();
    for (String address : view.job().targets()) {
      if (!sent.contains(address)) {
        ends.add(TargetResult.failed(view.job().id(), address, TargetState.CANCELLED,
            FaultCode.COMMAND_CANCELLED.code(), "cancelled before it was sent (its coordinator had left the "
                + "cluster); the command did not run", clock.instant(), 0, hubId.get()));
      }
    }
    return Future.join(store.putResults(ends)).mapEmpty();
  }

  /** Sends one wave (all the targets of a job that is not rolled out), every owner's batch at once. */
  private void dispatch(RunningJob run, List<SessionRecord> targets, Instant waveStart, Promise<Void> finished) {
    Job job = run.job();
    Map<Member, Map<String, String>> byOwner = new HashMap<>();
    java.util.Set<String> timeoutAware = new java.util.HashSet<>();
    java.util.Set<String> cancellable = new java.util.HashSet<>();
    for (SessionRecord r : targets) {
      if (AgentFeatures.takesTimeout(r.info().agentVersion())) {
        timeoutAware.add(r.address());
      }
      if (AgentFeatures.cancellable(r.info().agentVersion())) {
        cancellable.add(r.address());
      }
      byOwner.computeIfAbsent(ownerOf(r.address()), m -> new LinkedHashMap<>()).put(r.address(), r.url());
    }
    SendFence.BatchTicket ticket = new SendFence.BatchTicket(hubId.get(), waveStart,
        waveStart.plusMillis(job.timeoutMs()));
    List<Future<Void>> batches = new ArrayList<>();
    byOwner.forEach((owner, batch) -> batches.add(sendBatch(run, owner, batch, timeoutAware, cancellable, ticket, true)));
    List<String> addresses = targets.stream().map(SessionRecord::address).toList();
    Instant waveDeadline = waveStart.plusMillis(job.timeoutMs()).plus(GRACE);
    long deadlineMs = Math.max(1, Duration.between(clock.instant(), waveDeadline).toMillis());
    long timer = vertx.setTimer(deadlineMs, id -> markOpen(run, addresses, TargetState.TIMEOUT,
        FaultCode.COMMAND_TIMEOUT.code(), "no result within the job's timeout of " + job.timeoutMs() + " ms")
        .onComplete(ar -> finished.tryComplete()));
    Future.join(batches).onComplete(ar -> {
      vertx.cancelTimer(timer);
      finished.tryComplete();
    });
  }

  /** The member that owns the host of {@code address} now (this one if none does). */
  private Member ownerOf(String address) {
    Member owner = owners.ownerOf(HostPort.ofKey(address).hostKey());
    return owner != null ? owner : hazelcast.getCluster().getLocalMember();
  }

  /**
   * Sends one owner's batch and completes once every target in it has its end recorded. A batch that certainly
   * never reached its owner (no longer a member when it was sent) goes once more through whichever member owns
   * the hosts now ({@code mayResend}); one that may have reached it ends {@code unknown}, never claimed not run.
   */
  private Future<Void> sendBatch(RunningJob run, Member owner, Map<String, String> batch, java.util.Set<String>
      timeoutAware, java.util.Set<String> cancellable, SendFence.BatchTicket ticket, boolean mayResend) {
    Job job = run.job();
    Promise<Void> sent = Promise.promise();
    if (owner.localMember()) {
      run.runsHere(batch.keySet());
      localRunner.run(job.id(), job.code(), Duration.ofMillis(job.timeoutMs()), batch, timeoutAware, cancellable,
          ticket, run)
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
    executor.submitToMember(new RunBatchTask(job.id(), job.code(), job.timeoutMs(), batch, timeoutAware, cancellable,
        ticket)
            .signedWith(secrets), owner,
        new ExecutionCallback<BatchReply>() {
          @Override
          public void onResponse(BatchReply reply) {
            // the owner's ends as stored: known here now, so the job's view needs no read of them
            for (TargetResult end : reply.results()) {
              if (batch.containsKey(end.address()) && job.id().equals(end.jobId())) {
                run.test(end);
              }
            }
            sent.tryComplete();
          }

          @Override
          public void onFailure(Throwable t) {
            vertx.runOnContext(v -> failedBatch(run, owner, batch, timeoutAware, cancellable, ticket, mayResend, t)
                .onComplete(ar -> sent.tryComplete()));
          }
        });
    return sent.future();
  }

  private Future<Void> failedBatch(RunningJob run, Member owner, Map<String, String> batch,
      java.util.Set<String> timeoutAware, java.util.Set<String> cancellable, SendFence.BatchTicket ticket,
      boolean mayResend, Throwable t) {
    if (BatchFailures.neverDelivered(t)) {
      if (mayResend) {
        Map<Member, Map<String, String>> byNewOwner = new HashMap<>();
        batch.forEach((address, url) -> byNewOwner.computeIfAbsent(ownerOf(address), m -> new LinkedHashMap<>())
            .put(address, url));
        if (!byNewOwner.containsKey(owner)) {
          List<Future<Void>> resent = new ArrayList<>();
          byNewOwner.forEach((m, part) -> resent.add(sendBatch(run, m, part, timeoutAware, cancellable, ticket, false)));
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
    List<TargetResult> ends = new ArrayList<>();
    for (String address : addresses) {
      if (run.isLocallyKnown(address)) {
        continue;
      }
      TargetResult result = TargetResult.failed(job.id(), address, state, code, message, clock.instant(),
          Duration.between(job.createdAt(), clock.instant()).toMillis(), hubId.get());
      // a target run here is decided in memory first; another hub's by the store, whose end is then recorded
      if (!run.isRunHere(address) || run.test(result)) {
        ends.add(result);
      }
    }
    List<Future<TargetResult>> stored = store.putResults(ends);
    List<Future<?>> recorded = new ArrayList<>(stored.size());
    for (int i = 0; i < ends.size(); i++) {
      recorded.add(run.isRunHere(ends.get(i).address()) ? stored.get(i) : stored.get(i).map(run::test));
    }
    return Future.join(recorded).mapEmpty();
  }

  /**
   * How long the coordinator's view of its job waits for the results other hubs stored. Past it (a member holding
   * them is frozen, and the cluster takes up to ~10 s to remove it) the view is what this hub knows, which reads
   * {@code running} while another hub's result is unseen: an honest, prompt answer a reader polls again.
   */
  static final Duration REMOTE_RESULTS_WAIT = Duration.ofSeconds(1);

  /**
   * A job this hub coordinates, as far as known now: what this hub decided in memory, with the stored results of
   * the targets only the store can tell ({@link RunningJob#decidedElsewhere}); a job run entirely here reads
   * nothing from the cluster. Needs no job record from the store (it may not be readable, e.g. while the member
   * holding it is frozen).
   */
  private Future<JobView> viewOf(RunningJob run) {
    return viewOf(run, store.perTargetResults(run.job(), run.decidedElsewhere()));
  }

  /** {@link #viewOf(RunningJob)} for a reader: waits at most {@link #REMOTE_RESULTS_WAIT} for other hubs' results. */
  private Future<JobView> promptViewOf(RunningJob run) {
    return viewOf(run, store.perTargetResults(run.job(), run.decidedElsewhere())
        .timeout(REMOTE_RESULTS_WAIT.toMillis(), TimeUnit.MILLISECONDS));
  }

  private Future<JobView> viewOf(RunningJob run, Future<Map<String, TargetResult>> storedElsewhere) {
    return storedElsewhere
        .map(stored -> run.overlay(stored, clock.instant()))
        .recover(e -> Future.succeededFuture(run.snapshot(clock.instant())))
        .map(v -> run.finished().future().isComplete() ? v : v.untilStored())
        .map(v -> v.withCancelled(cancels.isCancelled(run.job().id())));
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
      return fromMemory != null ? local.finished().future().transform(stored -> fromMemory)
          : local.finished().future().compose(v -> viewOf(local))
              .compose(view -> view.done() ? Future.succeededFuture(view) : later(jobId));
    }
    return stored(jobId).compose(view -> {
      if (view == null || view.done()) {
        return Future.succeededFuture(view);
      }
      return later(jobId);
    });
  }

  /**
   * The job as stored in the cluster; refused while this hub rejoins after a pause, when its member's copy of the
   * job may be older than its coordinator's (a chaos soak read a job through a hub 2.3 s after its freeze: it
   * showed results the coordinator did not have yet, and "unknown" where the coordinator knew).
   */
  private Future<JobView> stored(String jobId) {
    if (inventory.rejoining()) {
      return Future.failedFuture(inventory.notReady("its copy of job " + jobId + " may be stale"));
    }
    return store.view(jobId).map(v -> v == null ? null : v.withCancelled(cancels.isCancelled(jobId)));
  }

  private Future<JobView> later(String jobId) {
    Promise<JobView> later = Promise.promise();
    vertx.setTimer(200, id -> await(jobId).onComplete(later));
    return later.future();
  }

  /**
   * The job as far as known now, or null for a job nobody knows. A job this hub coordinates whose every end is
   * known but not yet all stored is read once they are (waiting at most {@link #REMOTE_RESULTS_WAIT}), so a reader
   * sees it done a write's time after its last result rather than {@code running}.
   */
  public Future<JobView> view(String jobId) {
    RunningJob local = running.get(jobId);
    Future<JobView> view;
    if (local == null) {
      view = stored(jobId);
    } else if (local.allKnownNow() && !local.finished().future().isComplete()) {
      view = local.finished().future().timeout(REMOTE_RESULTS_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .transform(storedOrNot -> promptViewOf(local));
    } else {
      view = promptViewOf(local);
    }
    return view.map(v -> v == null || v.done() ? v : v.withLiveOutput(outputs.soFar(jobId)));
  }

  /**
   * Completes once everything this hub decided for the job is stored: at once for a job it does not coordinate
   * (what others read of it is the store). Event streams end on it, since the last result's event may come first.
   */
  public Future<Void> whenStored(String jobId) {
    RunningJob local = running.get(jobId);
    return local == null ? Future.succeededFuture() : local.finished().future();
  }

  public Future<List<JobView>> recent(int limit) {
    if (inventory.rejoining()) {
      return Future.failedFuture(inventory.notReady("its copy of the jobs may be stale"));
    }
    return store.recent(limit).map(views -> views.stream()
        .map(v -> v.withCancelled(cancels.isCancelled(v.job().id()))).toList());
  }

  /** Counts each job this hub coordinates, and its targets' ends, in {@code metrics} (set once, at wiring). */
  public void observe(dev.sessionhub.hub.impl.metrics.JobMetrics metrics) {
    this.metrics = metrics;
  }
}
