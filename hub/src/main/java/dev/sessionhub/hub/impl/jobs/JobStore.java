package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MetadataPolicy;
import com.hazelcast.config.PartitioningStrategyConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import dev.sessionhub.hub.impl.cluster.Replication;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Jobs and their results in Hazelcast, as JSON, for a TTL (default 24 h): a job started through one hub can be
 * read through any other, even after the first died. Results come in two shapes: the coordinating hub's own
 * targets, decided in memory, in numbered batches ({@code jobId|@n}, a JSON array; see {@link ResultBatches});
 * every other result (another hub's targets, targets marked at a deadline or when their hub died) one entry per
 * target ({@code jobId|address}), written first-write-wins ({@link FirstResultWins}) so a target's first terminal
 * state is its only one, and every writer learns which it is. A target is never in both. All of a job's entries
 * share one partition ({@link JobPartitioning}).
 */
public final class JobStore {

  public static final String JOBS = "sessionhub.jobs";
  public static final String RESULTS = "sessionhub.job-results";
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);
  /** Batch keys asked for at once when reading a job: reading stops at the first such range with none stored. */
  private static final int BATCH_KEYS_PER_READ = 16;

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> jobs;
  private final IMap<String, HazelcastJsonValue> results;
  private final Clock clock;
  private final Duration ttl;
  private final ResultBatches batches;
  private final OwnedResultWrites owned;
  /** Starts single result writes off the event loop (see {@link ResultBatches}). */
  private final io.vertx.core.WorkerExecutor writers;

  public JobStore(Vertx vertx, HazelcastInstance hazelcast, Clock clock, Duration ttl) {
    this.vertx = vertx;
    this.jobs = hazelcast.getMap(JOBS);
    this.results = hazelcast.getMap(RESULTS);
    this.clock = clock;
    this.ttl = ttl;
    this.batches = new ResultBatches(vertx, results);
    this.owned = new OwnedResultWrites(vertx, results, ttl.toMillis());
    this.writers = vertx.createSharedWorkerExecutor(ResultBatches.WRITERS, 2);
  }

  /** Releases the threads that write result batches. */
  public void close() {
    batches.close();
    owned.close();
    writers.close();
  }

  /**
   * The maps' TTL is the job TTL, so batched writes (which carry no TTL of their own) expire like the rest. No
   * JSON metadata: jobs are never queried by predicate, and building it parsed every result on its write.
   */
  public static void configure(Config config, Duration ttl) {
    int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, ttl.toSeconds()));
    for (String map : List.of(JOBS, RESULTS)) {
      config.addMapConfig(Replication.onEveryHub(new MapConfig(map)).setTimeToLiveSeconds(seconds)
          .setMetadataPolicy(MetadataPolicy.OFF));
    }
    config.getMapConfig(RESULTS).setPartitioningStrategyConfig(
        new PartitioningStrategyConfig(new JobPartitioning()));
  }

  public IMap<String, HazelcastJsonValue> resultsMap() {
    return results;
  }

  static String resultKey(String jobId, String address) {
    return jobId + "|" + address;
  }

  /** Batch {@code n} of a job's results ({@code @} is never in a {@code host:port} address). */
  static String batchKey(String jobId, int n) {
    return jobId + "|@" + n;
  }

  public Future<Void> put(Job job) {
    return Future.fromCompletionStage(jobs.setAsync(job.id(), new HazelcastJsonValue(job.toJson().encode()),
        ttl.toMillis(), TimeUnit.MILLISECONDS), vertx.getOrCreateContext());
  }

  /**
   * Stores the job record, again and again while the cluster refuses the write (a frozen or leaving member
   * holds its partition), until it is stored or the job's deadline has passed; fails only then.
   */
  public Future<Void> putUntilStored(Job job) {
    return put(job).recover(e -> {
      if (clock.instant().isAfter(job.deadline())) {
        return Future.failedFuture(e);
      }
      io.vertx.core.Promise<Void> again = io.vertx.core.Promise.promise();
      vertx.setTimer(500, id -> putUntilStored(job).onComplete(again));
      return again.future();
    });
  }

  /**
   * The per-target results stored so far for {@code addresses} of {@code job}, by address: what other hubs,
   * deadlines and failed hubs write. Not the coordinator's own batches (it holds those in memory). Reads nothing
   * when {@code addresses} is empty.
   */
  public Future<Map<String, TargetResult>> perTargetResults(Job job, Collection<String> addresses) {
    if (addresses.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return vertx.executeBlocking(() -> perTarget(job, addresses), false);
  }

  /**
   * Records a target's end that nobody else writes (the coordinator's own targets, decided in memory), batched
   * with others; completes once it is stored.
   */
  Future<Void> recordDecided(RunningJob job, TargetResult result) {
    return batches.write(job, result);
  }

  /**
   * Records a target's end unless it already has one (the first write wins, atomically on the key's member,
   * through the asynchronous API) and answers the end that stands: {@code result} itself, or the earlier one.
   */
  public Future<TargetResult> putResult(TargetResult result) {
    String key = resultKey(result.jobId(), result.address());
    io.vertx.core.Context context = vertx.getOrCreateContext();
    return writers.<java.util.concurrent.CompletionStage<String>>executeBlocking(() -> results.submitToKey(key,
            new FirstResultWins(Map.of(key, result.toJson().encode()), ttl.toMillis())), false)
        .compose(stage -> Future.fromCompletionStage(stage, context))
        .map(standing -> standing == null ? result : TargetResult.fromJson(new JsonObject(standing)));
  }

  /**
   * The same for a target this hub runs for another hub's job, gathered with others of the job into one write
   * ({@link OwnedResultWrites}); {@code last}: no more results of its batch follow.
   */
  Future<TargetResult> putOwnedResult(TargetResult result, boolean last) {
    return owned.write(result, last);
  }

  /** The job and every result so far, or null if unknown (or expired). */
  public Future<JobView> view(String jobId) {
    return vertx.executeBlocking(() -> {
      HazelcastJsonValue raw = jobs.get(jobId);
      if (raw == null) {
        return null;
      }
      Job job = Job.fromJson(new JsonObject(raw.getValue()));
      return JobView.of(job, results(job), clock.instant());
    }, false);
  }

  private Map<String, TargetResult> perTarget(Job job, Collection<String> addresses) {
    Set<String> keys = new LinkedHashSet<>();
    addresses.forEach(a -> keys.add(resultKey(job.id(), a)));
    Map<String, TargetResult> byAddress = new HashMap<>();
    results.getAll(keys).values().forEach(v -> {
      TargetResult r = TargetResult.fromJson(new JsonObject(v.getValue()));
      byAddress.put(r.address(), r);
    });
    return byAddress;
  }

  private Map<String, TargetResult> results(Job job) {
    Map<String, TargetResult> byAddress = perTarget(job, job.targets());
    for (int from = 0; ; from += BATCH_KEYS_PER_READ) {
      Set<String> batchKeys = new LinkedHashSet<>();
      for (int n = from; n < from + BATCH_KEYS_PER_READ; n++) {
        batchKeys.add(batchKey(job.id(), n));
      }
      Map<String, HazelcastJsonValue> found = results.getAll(batchKeys);
      if (found.isEmpty()) {
        return byAddress;
      }
      found.values().forEach(v -> TargetResult.allFromJson(v.getValue())
          .forEach(r -> byAddress.putIfAbsent(r.address(), r)));
    }
  }

  /** The most recent jobs, newest first, as summaries. */
  public Future<List<JobView>> recent(int limit) {
    return vertx.executeBlocking(() -> {
      List<Job> all = new ArrayList<>();
      jobs.values().forEach(v -> all.add(Job.fromJson(new JsonObject(v.getValue()))));
      all.sort(Comparator.comparing(Job::createdAt).reversed());
      List<JobView> out = new ArrayList<>();
      for (Job job : all.subList(0, Math.min(limit, all.size()))) {
        out.add(JobView.of(job, results(job), clock.instant()));
      }
      return out;
    }, false);
  }
}
