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
 * read through any other, even after the first died. A result has one shape, one entry per target ({@code
 * jobId|address}, a JSON object), and one way in ({@link ResultWrites}): first write wins ({@link
 * FirstResultWins}), so a target's first terminal state is its only one whoever writes it (the coordinator, an
 * owning hub, a deadline, a failed hub's marks, a cancel), and every writer learns which it is. All of a job's
 * entries share one partition ({@link JobPartitioning}).
 */
public final class JobStore {

  public static final String JOBS = "sessionhub.jobs";
  public static final String RESULTS = "sessionhub.job-results";
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> jobs;
  private final IMap<String, HazelcastJsonValue> results;
  private final Clock clock;
  private final Duration ttl;
  private final ResultWrites writes;

  public JobStore(Vertx vertx, HazelcastInstance hazelcast, Clock clock, Duration ttl) {
    this.vertx = vertx;
    this.jobs = hazelcast.getMap(JOBS);
    this.results = hazelcast.getMap(RESULTS);
    this.clock = clock;
    this.ttl = ttl;
    this.writes = new ResultWrites(vertx, results, ttl.toMillis());
  }

  /** Releases the threads that write results. */
  public void close() {
    writes.close();
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

  /** The results stored so far for {@code addresses} of {@code job}, by address; reads nothing for none. */
  public Future<Map<String, TargetResult>> perTargetResults(Job job, Collection<String> addresses) {
    if (addresses.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return vertx.executeBlocking(() -> perTarget(job, addresses), false);
  }

  /**
   * Records a target's end unless it already has one and answers the end that stands: {@code result} itself, or
   * the earlier one. Gathered with other results of its job into one write ({@link ResultWrites}); {@code last}:
   * no more results of its batch follow, so it goes at once.
   */
  Future<TargetResult> putResult(TargetResult result, boolean last) {
    return writes.write(result, last);
  }

  /** Several ends at once, gathered into one write per job; each future answers its target's end that stands. */
  List<Future<TargetResult>> putResults(List<TargetResult> ends) {
    List<Future<TargetResult>> standing = new ArrayList<>(ends.size());
    for (int i = 0; i < ends.size(); i++) {
      standing.add(writes.write(ends.get(i), i == ends.size() - 1));
    }
    return standing;
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
    return perTarget(job, job.targets());
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
