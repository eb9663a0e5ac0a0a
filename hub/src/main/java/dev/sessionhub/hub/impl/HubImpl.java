package dev.sessionhub.hub.impl;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.Hub;
import dev.sessionhub.hub.DiscoveryOptions;
import dev.sessionhub.hub.HubHttpOptions;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.shared.tls.ServerTlsOptions;
import dev.sessionhub.hub.impl.client.AgentClient;
import dev.sessionhub.hub.impl.client.AgentClientOptions;
import dev.sessionhub.hub.impl.client.AgentOutputClient;
import dev.sessionhub.hub.impl.client.ApacheAgentClient;
import dev.sessionhub.hub.impl.cluster.ClusterSecrets;
import dev.sessionhub.hub.impl.cluster.ClusterState;
import dev.sessionhub.hub.impl.cluster.HostOwners;
import dev.sessionhub.hub.impl.cluster.MemberTrust;
import dev.sessionhub.hub.HubStatus;
import dev.sessionhub.hub.impl.cluster.PauseDetector;
import dev.sessionhub.hub.impl.jobs.SendFence;
import dev.sessionhub.hub.impl.jobs.JobCancels;
import dev.sessionhub.hub.impl.jobs.JobEvents;
import dev.sessionhub.hub.impl.jobs.JobOutputs;
import dev.sessionhub.hub.impl.jobs.OutputFollowers;
import dev.sessionhub.hub.impl.inventory.ViewSync;
import dev.sessionhub.hub.impl.discovery.DiscoveryService;
import dev.sessionhub.hub.impl.discovery.PortProber;
import dev.sessionhub.hub.impl.discovery.SessionLeases;
import dev.sessionhub.hub.impl.discovery.TargetScanner;
import dev.sessionhub.hub.impl.discovery.TlsSniffer;
import dev.sessionhub.hub.impl.audit.AuditLog;
import dev.sessionhub.hub.impl.audit.AuditLogOptions;
import dev.sessionhub.hub.impl.audit.JsonLinesAuditLog;
import dev.sessionhub.hub.impl.http.HubHttpServer;
import dev.sessionhub.hub.impl.http.HubJobRpcMethods;
import dev.sessionhub.hub.impl.http.HubRpcMethods;
import dev.sessionhub.hub.impl.http.OpsEndpoints;
import dev.sessionhub.hub.impl.http.DiagnoseResource;
import dev.sessionhub.hub.impl.discovery.DiscoveryObserver;
import dev.sessionhub.hub.impl.discovery.ScanOutcomes;
import dev.sessionhub.hub.impl.metrics.HubHealth;
import dev.sessionhub.hub.impl.metrics.HubMetrics;
import dev.sessionhub.hub.impl.jobs.CommandRunner;
import dev.sessionhub.hub.impl.jobs.JobService;
import dev.sessionhub.hub.impl.jobs.JobStore;
import dev.sessionhub.hub.impl.jobs.LocalHub;
import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.inventory.InventoryEvents;
import dev.sessionhub.shared.auth.TokenAuth;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.scan.ScanTarget;
import dev.sessionhub.shared.scan.TargetParser;
import dev.sessionhub.shared.scan.TargetSyntaxException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The composition root of one hub: wires inventory, discovery, the agent client and the HTTP edge. */
public final class HubImpl implements Hub {

  private final HubOptions options;
  private final DiscoveryService discovery;
  private final HubHttpServer http;
  private final int port;
  private final CreatedResources created;

  private HubImpl(HubOptions options, DiscoveryService discovery, HubHttpServer http, int port,
      CreatedResources created) {
    this.options = options;
    this.discovery = discovery;
    this.http = http;
    this.port = port;
    this.created = created;
  }

  /**
   * Starts a hub on {@code hazelcast}. Whatever it creates is released in reverse order if any step fails, and
   * by {@link #close()}.
   */
  public static Future<Hub> start(Vertx vertx, HazelcastInstance hazelcast, HubOptions options, Clock clock) {
    List<ScanTarget> targets = new ArrayList<>();
    try {
      for (String target : options.getDiscovery().getScanTargets()) {
        targets.addAll(TargetParser.parseAll(target));
      }
    } catch (TargetSyntaxException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage(), e));
    }
    CreatedResources created = new CreatedResources();
    try {
      return wire(vertx, hazelcast, options, clock, targets, created).onFailure(e -> created.closeAll());
    } catch (RuntimeException e) {
      created.closeAll();
      return Future.failedFuture(e);
    }
  }

  private static Future<Hub> wire(Vertx vertx, HazelcastInstance hazelcast, HubOptions options, Clock clock,
      List<ScanTarget> targets, CreatedResources created) {
    DiscoveryOptions discoveryOptions = options.getDiscovery();
    HubHttpOptions httpOptions = options.getHttp();
    ApacheAgentClient client = new ApacheAgentClient(vertx,
        agentCalls(options).setPoolSize(discoveryOptions.getAgentCalls()));
    created.add("agent client", client::close);
    Inventory inventory = new Inventory(vertx, hazelcast, clock);
    created.add("inventory", inventory::close);
    HubMetrics metrics = new HubMetrics().watchInventory(inventory.view())
        .watchAgentCalls(client::busyWorkers, client::queuedCalls).watchCluster(hazelcast);
    created.add("metrics", metrics::close);
    InventoryEvents events = new InventoryEvents(vertx, inventory).start();
    created.add("inventory events", events::stop);
    PauseDetector pauses = new PauseDetector(PauseDetector.DEFAULT_THRESHOLD, clock);
    created.add("pause detector", pauses::close);
    ViewSync viewSync = new ViewSync(vertx, hazelcast, inventory, pauses).start();
    created.add("view sync", viewSync::close);
    ClusterState cluster = new ClusterState(vertx, hazelcast, options.getCluster().getName());
    SessionLeases leases = new SessionLeases(inventory, clock, discoveryOptions.getLease(), cluster::localMemberId);
    PortProber prober = new PortProber(vertx, discoveryOptions.getProbeTimeout());
    created.add("port prober", prober::close);
    ScanOutcomes outcomes = new ScanOutcomes(clock);
    MessageConsumer<JsonObject> expiries = outcomes.followExpiries(vertx.eventBus());
    created.add("lease-expiry follower", expiries::unregister);
    DiscoveryObserver observers = DiscoveryObserver.all(List.of(metrics, outcomes));
    TargetScanner scanner = new TargetScanner(vertx, prober, client, discoveryOptions.getMaxInFlight(),
        discoveryOptions.isAgentTls(), address -> inventory.knows(address.toString()), TargetScanner.DEFAULT_MAX_CALLS,
        observers);
    JobStore store = new JobStore(vertx, hazelcast, clock, options.getJobs().getJobTtl());
    created.add("job store", store::close);
    AgentClient control = new ApacheAgentClient(vertx, agentCalls(options).setPoolSize(4));
    created.add("control client", control::close);
    JobCancels cancels = new JobCancels(vertx, hazelcast, clock, options.getJobs().getJobTtl()).start();
    created.add("job cancels", cancels::close);
    JobOutputs outputs = new JobOutputs(vertx, hazelcast, clock);
    created.add("job outputs", outputs::close);
    AgentOutputClient outputClient = new AgentOutputClient(vertx, agentCalls(options));
    created.add("output client", outputClient::close);
    OutputFollowers followers = new OutputFollowers(vertx, outputClient, outputs);
    created.add("output followers", followers::close);
    CommandRunner runner = new CommandRunner(vertx, client, control, followers, store, clock,
        cluster::localMemberId, new SendFence(hazelcast, pauses, clock), cancels);
    runner.observe(metrics);
    ClusterSecrets secrets = ClusterSecrets.of(options.getToken());
    LocalHub.attach(hazelcast, runner, secrets);
    created.add("local hub", () -> LocalHub.detach(hazelcast));
    String auditLog = options.getJobs().getAuditLog();
    AuditLog audit = auditLog == null ? AuditLog.NONE
        : new JsonLinesAuditLog(new AuditLogOptions(Path.of(auditLog)), clock, cluster.localMemberId());
    created.add("audit log", audit::close);
    MemberTrust trust = new MemberTrust(options.getCluster().getTrustedMembers());
    UUID trustListener = hazelcast.getCluster().addMembershipListener(trust);
    created.add("member trust", () -> hazelcast.getCluster().removeMembershipListener(trustListener));
    HostOwners owners = new HostOwners(hazelcast, targets);
    TlsSniffer plainHttpCheck = discoveryOptions.isAgentTls() ? null
        : new TlsSniffer(vertx, discoveryOptions.getPollTimeout());
    if (plainHttpCheck != null) {
      created.add("TLS sniffer", plainHttpCheck::close);
    }
    DiagnoseResource diagnose = new DiagnoseResource(inventory.view(), outcomes, owners, targets,
        cluster.localMemberId(), clock, plainHttpCheck);
    JobService jobs = new JobService(vertx, hazelcast, inventory, store, clock, cluster::localMemberId, runner,
        audit, secrets, trust, owners, cancels, outputs);
    jobs.observe(metrics);
    UUID resultsListener = JobEvents.relayResults(vertx, store.resultsMap());
    created.add("job results relay", () -> store.resultsMap().removeEntryListener(resultsListener));
    RpcDispatcher dispatcher = new RpcDispatcher();
    HubRpcMethods.registerInventory(dispatcher, inventory, leases, discoveryOptions.getHeartbeatInterval(),
        discoveryOptions.isAgentTls());
    HubJobRpcMethods.register(dispatcher, jobs);
    HubHttpServer http = new HubHttpServer(vertx, inventory, cluster, jobs, dispatcher, httpOptions,
        new TokenAuth(options.getToken()), audit, new OpsEndpoints(vertx, metrics, new HubHealth(hazelcast, metrics),
        httpOptions.isOpenMetrics(), diagnose));
    ServerTlsOptions serverTls = httpOptions.getTls();
    KeyCertOptions tls = serverTls.isEnabled()
        ? new PemKeyCertOptions().setCertPath(serverTls.getCertPath()).setKeyPath(serverTls.getKeyPath()) : null;
    Future<Void> tlsLoaded = checkTls(vertx, tls, serverTls);
    return tlsLoaded.compose(v -> http.listen(httpOptions.getBindAddress(), httpOptions.getPort(), tls)).map(server -> {
      String url = scheme(options) + httpOptions.getBindAddress() + ":" + server.actualPort();
      DiscoveryService discovery = new DiscoveryService(vertx, hazelcast, inventory, leases, scanner, prober,
          client, cluster, targets, owners, discoveryOptions.getScanInterval(), clock, url, observers);
      discovery.start();
      created.add("discovery", discovery::stop);
      return new HubImpl(options, discovery, http, server.actualPort(), created);
    });
  }

  /** What every agent client of the hub shares: the token, the poll timeout and the agents' CA bundle. */
  private static AgentClientOptions agentCalls(HubOptions options) {
    return new AgentClientOptions().setToken(options.getToken())
        .setPollTimeout(options.getDiscovery().getPollTimeout()).setCaPath(options.getDiscovery().getAgentCaPath());
  }

  /** Loads the certificate and key once, off the event loop, so a bad file fails with its own reason. */
  private static Future<Void> checkTls(Vertx vertx, KeyCertOptions tls, ServerTlsOptions files) {
    if (tls == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      try {
        tls.getKeyManagerFactory(vertx);
        return null;
      } catch (Exception e) {
        throw new IllegalArgumentException("TLS certificate " + files.getCertPath() + " with key "
            + files.getKeyPath() + " could not be loaded: " + e.getMessage(), e);
      }
    }, false);
  }

  private static String scheme(HubOptions options) {
    return options.getHttp().getTls().isEnabled() ? "https://" : "http://";
  }

  @Override
  public int httpPort() {
    return port;
  }

  @Override
  public String url() {
    return scheme(options) + options.getHttp().getBindAddress() + ":" + port;
  }

  @Override
  public Future<HubStatus> scanNow() {
    return discovery.runCycle();
  }

  /** Stops serving, then releases everything the hub created, newest first. */
  @Override
  public Future<Void> close() {
    discovery.stop();
    return http.close().andThen(ar -> created.closeAll());
  }
}
