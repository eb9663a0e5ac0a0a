package dev.sessionhub.ops.cli;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.Hub;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.cluster.HazelcastSetup;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionhub hub}: a hub node with its embedded Hazelcast member, until SIGTERM/SIGINT. */
@Command(name = "hub", mixinStandardHelpOptions = true,
    description = "Run a hub: discover sessions, keep the inventory, serve the API and dashboard.")
final class HubCommand implements Callable<Integer> {

  @Option(names = "--http-port", defaultValue = "7700", description = "HTTP port (default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address for HTTP and Hazelcast (default ${DEFAULT-VALUE}); any other needs a token.")
  String bind;

  @Option(names = "--scan", description = "Targets to scan, e.g. localhost:8000-8099, render[001-120].farm:8000-8010, "
      + "10.1.2.0/28:8000-8004; repeatable.")
  List<String> scan = new ArrayList<>();

  @Option(names = "--scan-interval", defaultValue = "5s", converter = DurationConverter.class,
      description = "Time between scan cycles (default ${DEFAULT-VALUE}).")
  Duration scanInterval;

  @Option(names = "--lease", converter = DurationConverter.class,
      description = "How long a session stays without a poll or heartbeat (default: 3 scan intervals, at least the "
          + "scan interval + 15s, so it outlasts a hub failover).")
  Duration lease;

  @Option(names = "--cluster", defaultValue = "sessionhub", description = "Hazelcast cluster name (default ${DEFAULT-VALUE}).")
  String cluster;

  @Option(names = "--hz-port", defaultValue = "5701", description = "Hazelcast member port (default ${DEFAULT-VALUE}).")
  int hzPort;

  @Option(names = "--member", description = "Another hub's Hazelcast HOST:PORT to join; repeatable.")
  List<String> members = new ArrayList<>();

  @Mixin
  TokenOptions tokens = new TokenOptions();

  @Option(names = "--ready-file", description = "Write the hub's URL here once its HTTP port serves.")
  Path readyFile;

  /** Time a silent partition takes to notice (Hazelcast's 8 s heartbeat timeout, measured 7.5-10.2 s) and more. */
  static final Duration FAILOVER_ALLOWANCE = Duration.ofSeconds(15);

  /**
   * The lease when none is given: 3 scan intervals, and at least one interval plus {@link #FAILOVER_ALLOWANCE}.
   * A session's entry may live in a partition whose owner just became unreachable; its hub's renewals wait until
   * the cluster declares that member gone (up to ~10 s after a silent split) and only then land. A lease shorter
   * than the time since the last renewal (up to one interval and a cycle) plus that wait expires live, reachable
   * sessions during a partition: the netns farm's HubPartitionIT saw it with 12 s leases and 2 s scans (the old
   * default of 15 s at the default 5 s interval leaves the same 9.5 s margin).
   */
  static Duration defaultLease(Duration scanInterval) {
    Duration threeIntervals = scanInterval.multipliedBy(3);
    Duration failover = scanInterval.plus(FAILOVER_ALLOWANCE);
    return threeIntervals.compareTo(failover) > 0 ? threeIntervals : failover;
  }

  @Override
  public Integer call() throws Exception {
    if (!HubSerialFilter.install()) {
      System.err.println("sessionhub hub: a JVM-wide deserialization filter is already set (jdk.serialFilter="
          + System.getProperty("jdk.serialFilter") + "); if it refuses exceptions, hubs cannot read each other's "
          + "error responses (see HubSerialFilter)");
    }
    HubOptions options = new HubOptions()
        .setHttpPort(httpPort)
        .setBindAddress(bind)
        .setScanInterval(scanInterval)
        .setClusterName(cluster)
        .setHazelcastPort(hzPort)
        .setToken(tokens.resolve());
    options.setLease(lease != null ? lease : defaultLease(scanInterval));
    scan.forEach(options::addScanTarget);
    members.forEach(options::addMember);
    options.validate();

    HazelcastInstance hazelcast = HazelcastSetup.start(options);
    Vertx vertx = Vertx.vertx();
    Hub hub;
    try {
      hub = Hub.start(vertx, hazelcast, options).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      hazelcast.shutdown();
      throw e instanceof IllegalArgumentException ? e : new CliException(CliException.FAILED,
          "the hub could not start: " + e.getMessage());
    }
    System.out.println("hub " + hazelcast.getCluster().getLocalMember().getUuid() + " serving " + hub.url()
        + " (cluster '" + cluster + "', " + hazelcast.getCluster().getMembers().size() + " member(s))");
    System.out.flush();
    if (readyFile != null) {
      ProgramLifecycle.writeReadyFile(readyFile, hub.url() + "\n");
    }
    ProgramLifecycle.runUntilStopped("hub", () -> {
      try {
        hub.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
      } finally {
        hazelcast.shutdown();
      }
    });
    return 0;
  }
}
