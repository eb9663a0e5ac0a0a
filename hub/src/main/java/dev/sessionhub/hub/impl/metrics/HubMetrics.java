package dev.sessionhub.hub.impl.metrics;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import dev.sessionhub.hub.impl.discovery.DiscoveryObserver;
import dev.sessionhub.hub.impl.discovery.PortState;
import dev.sessionhub.shared.scan.HostPort;
import dev.sessionhub.hub.impl.inventory.InventoryView;
import dev.sessionhub.hub.impl.jobs.JobView;
import dev.sessionhub.hub.impl.jobs.TargetResult;
import dev.sessionhub.hub.impl.jobs.TargetState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * One hub's metrics, in Micrometer's Prometheus registry, for {@code GET /metrics}. Recording is a counter or
 * timer update (no lock of ours, no cluster call); everything computed from state (sessions by app, source and
 * hub; agent-call workers; Hazelcast members, safety) is read when scraped, from this hub's memory
 * ({@link InventoryView}), never from the cluster's maps. Labels are bounded: fixed states and kinds, route
 * templates ({@link RouteLabels}), member ids, and at most {@link SessionsCollector#MAX_APPS} app names.
 */
public final class HubMetrics implements DiscoveryObserver, JobMetrics, AutoCloseable {

  /** Bucket bounds of the command and discovery cycle duration histograms. */
  private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(300)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<PortState, Counter> probes = new EnumMap<>(PortState.class);
  private final Map<String, Counter> pollFailures = new ConcurrentHashMap<>();
  private final Timer cycles;
  private final AtomicLong cyclesEnded = new AtomicLong();
  private final Map<TargetState, Timer> commands = new EnumMap<>(TargetState.class);
  private final Map<TargetState, Counter> targets = new EnumMap<>(TargetState.class);
  private final Map<TargetState, Counter> jobs = new EnumMap<>(TargetState.class);
  private final AtomicInteger sseClients = new AtomicInteger();
  private final Map<String, Counter> httpRequests = new ConcurrentHashMap<>();
  private final Counter migrationsStarted;
  private final Counter replicaMigrationsCompleted;
  private final Counter replicaMigrationsFailed;
  private HazelcastInstance hazelcast;
  private UUID migrationListener;

  public HubMetrics() {
    for (PortState s : PortState.values()) {
      probes.put(s, Counter.builder("sessionhub.discovery.probes")
          .description("Port probes by outcome: open, closed (refused) or silent (no answer in time, no route)")
          .tag("outcome", s.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    cycles = Timer.builder("sessionhub.discovery.cycle.duration")
        .description("Time one discovery cycle took: scan of this hub's hosts, then re-polls")
        .serviceLevelObjectives(DURATION_BUCKETS).register(registry);
    for (TargetState s : TargetState.values()) {
      if (s == TargetState.UNKNOWN) {
        continue; // never the end of a command a hub ran itself: only a coordinator's mark
      }
      commands.put(s, Timer.builder("sessionhub.command.duration")
          .description("Time of each command this hub sent to a session, by how the target ended")
          .tag("state", s.wire()).serviceLevelObjectives(DURATION_BUCKETS).register(registry));
    }
    for (TargetState s : TargetState.values()) {
      targets.put(s, Counter.builder("sessionhub.job.targets")
          .description("Targets of jobs this hub coordinated, by terminal state (counted once, by the coordinator)")
          .tag("state", s.wire()).register(registry));
      jobs.put(s, Counter.builder("sessionhub.jobs")
          .description("Jobs this hub coordinated, by outcome: ok if every target is ok, else the worst target "
              + "state (unknown, unreachable, timeout, error, cancelled, skipped)")
          .tag("outcome", s.wire()).register(registry));
    }
    Gauge.builder("sessionhub.sse.clients", sseClients, AtomicInteger::get)
        .description("Server-sent event streams open now (sessions and job events)").register(registry);
    migrationsStarted = Counter.builder("sessionhub.hazelcast.migrations")
        .description("Partition migration processes started while this member was master").register(registry);
    replicaMigrationsCompleted = Counter.builder("sessionhub.hazelcast.replica.migrations")
        .description("Partition replica migrations seen by this member, by outcome")
        .tag("outcome", "completed").register(registry);
    replicaMigrationsFailed = Counter.builder("sessionhub.hazelcast.replica.migrations")
        .description("Partition replica migrations seen by this member, by outcome")
        .tag("outcome", "failed").register(registry);
  }

  /** Sessions by app, source and owning hub, counted from {@code view} at each scrape. */
  public HubMetrics watchInventory(InventoryView view) {
    registry.getPrometheusRegistry().register(new SessionsCollector(view));
    return this;
  }

  /** The agent client's pool: workers busy, calls waiting for one. */
  public HubMetrics watchAgentCalls(IntSupplier busy, IntSupplier queued) {
    Gauge.builder("sessionhub.agent.call.workers.busy", busy, IntSupplier::getAsInt).strongReference(true)
        .description("Agent-call workers running a call now").register(registry);
    Gauge.builder("sessionhub.agent.calls.queued", queued, IntSupplier::getAsInt).strongReference(true)
        .description("Agent calls waiting for a worker now").register(registry);
    return this;
  }

  /** Members, partition safety and migrations of this hub's Hazelcast cluster. */
  public HubMetrics watchCluster(HazelcastInstance hz) {
    this.hazelcast = hz;
    Gauge.builder("sessionhub.hazelcast.members", hz, h -> running(h) ? h.getCluster().getMembers().size() : 0)
        .description("Members of this hub's cluster, as this member sees it").register(registry);
    Gauge.builder("sessionhub.hazelcast.cluster.safe", hz,
            h -> running(h) && h.getPartitionService().isClusterSafe() ? 1 : 0)
        .description("1 when every partition's backups are in sync and no migration runs "
            + "(PartitionService.isClusterSafe), else 0").register(registry);
    migrationListener = hz.getPartitionService().addMigrationListener(new MigrationListener() {
      @Override
      public void migrationStarted(MigrationState state) {
        migrationsStarted.increment();
      }

      @Override
      public void migrationFinished(MigrationState state) {
      }

      @Override
      public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
        replicaMigrationsCompleted.increment();
      }

      @Override
      public void replicaMigrationFailed(ReplicaMigrationEvent event) {
        replicaMigrationsFailed.increment();
      }
    });
    return this;
  }

  private static boolean running(HazelcastInstance h) {
    return h.getLifecycleService().isRunning();
  }

  @Override
  public void probed(HostPort address, PortState state) {
    probes.get(state).increment();
  }

  @Override
  public void pollFailed(HostPort address, String kind, String detail) {
    pollFailures.computeIfAbsent(kind, k -> Counter.builder("sessionhub.discovery.polls.failed")
        .description("server_data() calls of discovery that found no session, by kind of failure")
        .tag("kind", k).register(registry)).increment();
  }

  @Override
  public void cycleEnded(long nanos) {
    cycles.record(nanos, TimeUnit.NANOSECONDS);
    cyclesEnded.incrementAndGet();
  }

  /** Discovery cycles finished since this hub started. */
  public long cyclesEnded() {
    return cyclesEnded.get();
  }

  @Override
  public void commandEnded(TargetState state, long nanos) {
    Timer timer = commands.get(state);
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void jobFinished(JobView view) {
    TargetState worst = TargetState.OK;
    for (TargetResult r : view.results()) {
      targets.get(r.state()).increment();
      if (severity(r.state()) > severity(worst)) {
        worst = r.state();
      }
    }
    jobs.get(worst).increment();
  }

  private static int severity(TargetState s) {
    return switch (s) {
      case OK -> 0;
      case SKIPPED -> 1;
      case CANCELLED -> 2;
      case ERROR -> 3;
      case TIMEOUT -> 4;
      case UNREACHABLE -> 5;
      case UNKNOWN -> 6;
    };
  }

  public void sseOpened() {
    sseClients.incrementAndGet();
  }

  public void sseClosed() {
    sseClients.decrementAndGet();
  }

  /** One HTTP request ended; {@code path} is reduced to its route template. */
  public void httpRequest(String path, String method, int status) {
    String route = RouteLabels.of(path);
    String m = RouteLabels.method(method);
    String key = route + ' ' + m + ' ' + status;
    httpRequests.computeIfAbsent(key, k -> Counter.builder("sessionhub.http.requests")
        .description("HTTP requests answered, by route template, method and status")
        .tag("route", route).tag("method", m).tag("status", Integer.toString(status)).register(registry))
        .increment();
  }

  /** Every metric in Prometheus' text format. Gauges read state here: call it off the event loop. */
  public String scrape() {
    return registry.scrape();
  }

  public String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  @Override
  public void close() {
    if (hazelcast != null && migrationListener != null) {
      try {
        hazelcast.getPartitionService().removeMigrationListener(migrationListener);
      } catch (RuntimeException ignored) {
        // the member is already gone
      }
    }
    registry.close();
  }
}
