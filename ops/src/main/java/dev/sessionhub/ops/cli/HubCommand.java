package dev.sessionhub.ops.cli;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.Hub;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import dev.sessionhub.hub.impl.cluster.HubIds;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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

  @Mixin
  ServerTlsOptions tls = new ServerTlsOptions();

  @Option(names = "--agent-tls", description = "Agents serve https: scan with https:// and refuse http:// announcements.")
  boolean agentTls;

  @Option(names = "--agent-ca", paramLabel = "FILE",
      description = "PEM CA bundle an https agent's certificate must chain to (default: the JDK's trusted CAs).")
  Path agentCa;

  @Option(names = "--ready-file", description = "Write the hub's URL here once its HTTP port serves.")
  Path readyFile;

  @Option(names = "--audit-log", description = "Audit log file: JSON lines, rotated daily and at 64 MiB, gzipped, "
      + "kept 90 days (default $XDG_STATE_HOME/sessionhub/hub-PORT-audit.jsonl, i.e. under ~/.local/state).")
  Path auditLog;

  @Option(names = "--open-discovery", description = "Let anyone read the inventory (sessions, cluster, session "
      + "events) without the token; commands, jobs and registration still need it.")
  boolean openDiscovery;

  @Option(names = "--open-metrics", description = "Serve GET /metrics without the token (counts only: no "
      + "addresses, job ids or code). /health/live and /health/ready never need it.")
  boolean openMetrics;

  @Option(names = "--rate-limit", defaultValue = "200", description = "Requests per second per client address "
      + "(default ${DEFAULT-VALUE}; 0 = off); over it the hub answers 429 with Retry-After.")
  double rateLimit;

  @Option(names = "--agent-calls", defaultValue = "32", description = "Calls to agents in flight at once "
      + "(default ${DEFAULT-VALUE}): a broadcast runs at most this many commands at a time, and a target still "
      + "waiting for a free slot when its timeout runs out ends 'timeout' unsent. Raise it for long commands on "
      + "many sessions (each slot is a thread blocked on its agent).")
  int agentCalls;

  @Option(names = "--rate-burst", defaultValue = "400",
      description = "Requests a client may make at once above its rate (default ${DEFAULT-VALUE}).")
  int rateBurst;

  @Option(names = "--trusted-member", description = "Address or CIDR a Hazelcast member may have (e.g. 10.1.0.0/24); "
      + "repeatable. Members elsewhere are reported and get no work, and work they send is refused.")
  List<String> trustedMembers = new ArrayList<>();

  @Mixin
  ParentOptions parent = new ParentOptions();

  @Override
  public Integer call() throws Exception {
    parent.resolve().ifPresent(p -> ParentWatch.exitWith(p, "hub"));
    HubOptions options = new HubOptions()
        .setHttpPort(httpPort)
        .setBindAddress(bind)
        .setScanInterval(scanInterval)
        .setClusterName(cluster)
        .setHazelcastPort(hzPort)
        .setToken(tokens.resolve())
        .setOpenDiscovery(openDiscovery)
        .setOpenMetrics(openMetrics)
        .setRateLimit(rateLimit)
        .setAgentCalls(agentCalls)
        .setRateBurst(rateBurst)
        .setAuditLog((auditLog != null ? auditLog : defaultAuditLog(httpPort)).toString())
        .setTlsCertPath(tls.certPath())
        .setTlsKeyPath(tls.keyPath())
        .setAgentTls(agentTls)
        .setAgentCaPath(agentCa == null ? null : agentCa.toString());
    if (lease != null) {
      options.setLease(lease);
    }
    scan.forEach(options::addScanTarget);
    members.forEach(options::addMember);
    trustedMembers.forEach(options::addTrustedMember);
    options.validate();

    HazelcastInstance hazelcast = HazelcastSetup.start(options);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Hub hub;
    try {
      hub = Hub.start(vertx, hazelcast, options).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      hazelcast.shutdown();
      throw e instanceof IllegalArgumentException ? e : new CliException(CliException.FAILED,
          "the hub could not start: " + e.getMessage());
    }
    System.out.println("hub " + HubIds.local(hazelcast) + " serving " + hub.url()
        + " (cluster '" + cluster + "', " + hazelcast.getCluster().getMembers().size() + " member(s))");
    System.out.println("audit log: " + options.getJobs().getAuditLog());
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

  /** Where the XDG base directory spec puts state that should survive restarts. */
  static Path defaultAuditLog(int httpPort) {
    String stateHome = System.getenv("XDG_STATE_HOME");
    Path base = stateHome != null && !stateHome.isBlank() ? Path.of(stateHome)
        : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("sessionhub").resolve("hub-" + httpPort + "-audit.jsonl");
  }
}
