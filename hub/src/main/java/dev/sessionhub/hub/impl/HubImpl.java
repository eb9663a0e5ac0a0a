package dev.sessionhub.hub.impl;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.Hub;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.client.AgentClient;
import dev.sessionhub.hub.client.AgentClientOptions;
import dev.sessionhub.hub.client.AgentOutputClient;
import dev.sessionhub.hub.client.VertxAgentClient;
import dev.sessionhub.hub.cluster.ClusterSecrets;
import dev.sessionhub.hub.cluster.ClusterState;
import dev.sessionhub.hub.cluster.HostOwners;
import dev.sessionhub.hub.cluster.MemberTrust;
import dev.sessionhub.hub.cluster.HubStatus;
import dev.sessionhub.hub.cluster.PauseDetector;
import dev.sessionhub.hub.jobs.SendFence;
import dev.sessionhub.hub.jobs.JobCancels;
import dev.sessionhub.hub.jobs.JobEvents;
import dev.sessionhub.hub.jobs.JobOutputs;
import dev.sessionhub.hub.jobs.OutputFollowers;
import dev.sessionhub.hub.inventory.ViewSync;
import dev.sessionhub.hub.discovery.DiscoveryService;
import dev.sessionhub.hub.discovery.PortProber;
import dev.sessionhub.hub.discovery.SessionRegistry;
import dev.sessionhub.hub.discovery.TargetScanner;
import dev.sessionhub.hub.discovery.TlsSniffer;
import dev.sessionhub.hub.audit.AuditLog;
import dev.sessionhub.hub.audit.AuditLogOptions;
import dev.sessionhub.hub.audit.JsonLinesAuditLog;
import dev.sessionhub.hub.http.HubHttpOptions;
import dev.sessionhub.hub.http.HubHttpServer;
import dev.sessionhub.hub.http.HubJobRpcMethods;
import dev.sessionhub.hub.http.HubRpcMethods;
import dev.sessionhub.hub.http.OpsEndpoints;
import dev.sessionhub.hub.http.DiagnoseResource;
import dev.sessionhub.hub.discovery.DiscoveryObserver;
import dev.sessionhub.hub.discovery.ScanOutcomes;
import dev.sessionhub.hub.metrics.HubHealth;
import dev.sessionhub.hub.metrics.HubMetrics;
import dev.sessionhub.hub.jobs.CommandRunner;
import dev.sessionhub.hub.jobs.JobService;
import dev.sessionhub.hub.jobs.JobStore;
import dev.sessionhub.hub.jobs.LocalHub;
import dev.sessionhub.hub.inventory.Inventory;
import dev.sessionhub.hub.inventory.InventoryEvents;
import dev.sessionhub.hub.inventory.SessionRecord;
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
  private final Inventory inventory;
  private final DiscoveryService discovery;
  private final HubHttpServer http;
  private final AgentClient client;
  private final PortProber prober;
  private final int port;
  private final Runnable detach;
  private final AuditLog audit;

  private HubImpl(HubOptions options, Inventory inventory, DiscoveryService discovery,
      HubHttpServer http, AgentClient client, PortProber prober, int port, AuditLog audit, Runnable detach) {
    this.detach = detach;
    this.audit = audit;
    this.options = options;
    this.inventory = inventory;
    this.discovery = discovery;
    this.http = http;
    this.client = client;
    this.prober = prober;
    this.port = port;
  }

  public static Future<Hub> start(Vertx vertx, HazelcastInstance hazelcast, HubOptions options, Clock clock) {
    List<ScanTarget> targets = new ArrayList<>();
    try {
      for (String target : options.getScanTargets()) {
        targets.addAll(TargetParser.parseAll(target));
      }
    } catch (TargetSyntaxException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage(), e));
    }
    VertxAgentClient client;
    try {
      client = new VertxAgentClient(vertx, new AgentClientOptions()
          .setPoolSize(options.getAgentCalls())
          .setToken(options.getToken())
          .setPollTimeout(options.getPollTimeout())
          .setCaPath(options.getAgentCaPath()));
    } catch (IllegalArgumentException badCaBundle) {
      return Future.failedFuture(badCaBundle);
    }
    Inventory inventory = new Inventory(vertx, hazelcast, clock);
    HubMetrics metrics = new HubMetrics().watchInventory(inventory.view())
        .watchAgentCalls(client::callsInFlight, client::queuedCalls).watchCluster(hazelcast);
    InventoryEvents events = new InventoryEvents(vertx, inventory).start();
    PauseDetector pauses = new PauseDetector(PauseDetector.DEFAULT_THRESHOLD, clock);
    ViewSync viewSync = new ViewSync(vertx, hazelcast, inventory, pauses).start();
    Runnable closeInventory = () -> {
      viewSync.close();
      pauses.close();
      events.stop();
      inventory.close();
      metrics.close();
    };
    ClusterState cluster = new ClusterState(vertx, hazelcast, options.getClusterName());
    SessionRegistry registry = new SessionRegistry(inventory, clock, options.getLease(), cluster::localMemberId);
    PortProber prober = new PortProber(vertx, options.getProbeTimeout());
    ScanOutcomes outcomes = new ScanOutcomes(clock);
    MessageConsumer<JsonObject> expiries = outcomes.followExpiries(vertx.eventBus());
    DiscoveryObserver observers = DiscoveryObserver.all(List.of(metrics, outcomes));
    TargetScanner scanner = new TargetScanner(vertx, prober, client, options.getMaxInFlight(),
        options.isAgentTls(), address -> inventory.knows(SessionRecord.address(address.host(), address.port())),
        TargetScanner.DEFAULT_MAX_CALLS, observers);
    JobStore store = new JobStore(vertx, hazelcast, clock, options.getJobTtl());
    AgentClient control = new VertxAgentClient(vertx, new AgentClientOptions().setPoolSize(4)
        .setToken(options.getToken()).setPollTimeout(options.getPollTimeout()).setCaPath(options.getAgentCaPath()));
    JobCancels cancels = new JobCancels(vertx, hazelcast, clock, options.getJobTtl()).start();
    JobOutputs outputs = new JobOutputs(vertx, hazelcast, clock);
    AgentOutputClient outputClient = new AgentOutputClient(vertx, new AgentClientOptions()
        .setToken(options.getToken()).setCaPath(options.getAgentCaPath()));
    OutputFollowers followers = new OutputFollowers(vertx, outputClient, outputs);
    Runnable closeOutputs = () -> {
      followers.close();
      outputs.close();
      outputClient.close();
    };
    CommandRunner runner = new CommandRunner(vertx, client, control, followers, store, clock,
        cluster::localMemberId, new SendFence(hazelcast, pauses, clock), cancels);
    runner.observe(metrics);
    ClusterSecrets secrets = ClusterSecrets.of(options.getToken());
    LocalHub.attach(hazelcast, runner, secrets);
    AuditLog audit;
    try {
      audit = options.getAuditLog() == null ? AuditLog.NONE
          : new JsonLinesAuditLog(new AuditLogOptions(Path.of(options.getAuditLog())), clock,
              cluster.localMemberId());
    } catch (IllegalArgumentException e) {
      LocalHub.detach(hazelcast);
      closeInventory.run();
      expiries.unregister();
      cancels.close();
      closeOutputs.run();
      control.close();
      client.close();
      prober.close();
      return Future.failedFuture(e);
    }
    MemberTrust trust = new MemberTrust(options.getTrustedMembers());
    UUID trustListener = hazelcast.getCluster().addMembershipListener(trust);
    HostOwners owners = new HostOwners(hazelcast, targets);
    TlsSniffer plainHttpCheck = options.isAgentTls() ? null : new TlsSniffer(vertx, options.getPollTimeout());
    DiagnoseResource diagnose = new DiagnoseResource(inventory.view(), outcomes, owners, targets,
        cluster.localMemberId(), clock, plainHttpCheck);
    JobService jobs = new JobService(vertx, hazelcast, inventory, store, clock, cluster::localMemberId, runner,
        audit, secrets, trust, owners, cancels, outputs);
    jobs.observe(metrics);
    UUID resultsListener = JobEvents.relayResults(vertx, store.resultsMap());
    RpcDispatcher dispatcher = new RpcDispatcher();
    HubRpcMethods.registerInventory(dispatcher, inventory, registry, options.getHeartbeatInterval(),
        options.isAgentTls());
    HubJobRpcMethods.register(dispatcher, jobs);
    HubHttpServer http = new HubHttpServer(vertx, inventory, cluster, jobs, dispatcher, new HubHttpOptions(
        new TokenAuth(options.getToken()), options.isOpenDiscovery(), options.getRateLimit(), options.getRateBurst(),
        options.getMaxInFlightPerClient(), options.getMaxStreamsPerClient(), audit, options.getMaxBodyBytes(),
        options.getRequestReadTimeout()), new OpsEndpoints(vertx, metrics, new HubHealth(hazelcast, metrics),
        options.isOpenMetrics(), diagnose));
    KeyCertOptions tls = options.isTls() ? new PemKeyCertOptions().setCertPath(options.getTlsCertPath())
        .setKeyPath(options.getTlsKeyPath()) : null;
    Future<Void> tlsLoaded = checkTls(vertx, tls, options);
    return tlsLoaded.compose(v -> http.listen(options.getBindAddress(), options.getHttpPort(), tls)).map(server -> {
      String url = scheme(options) + options.getBindAddress() + ":" + server.actualPort();
      DiscoveryService discovery = new DiscoveryService(vertx, hazelcast, inventory, registry, scanner, prober,
          client, cluster, targets, owners, options.getScanInterval(), clock, url, observers);
      discovery.start();
      return (Hub) new HubImpl(options, inventory, discovery, http, client, prober, server.actualPort(),
          audit, () -> {
            closeInventory.run();
            cancels.close();
            closeOutputs.run();
            control.close();
            if (plainHttpCheck != null) {
              plainHttpCheck.close();
            }
            expiries.unregister();
            try {
              LocalHub.detach(hazelcast);
              store.resultsMap().removeEntryListener(resultsListener);
              hazelcast.getCluster().removeMembershipListener(trustListener);
            } catch (RuntimeException ignored) {
              // the member is already gone (killed) or going away
            }
          });
    }).onFailure(e -> {
      try {
        LocalHub.detach(hazelcast);
        store.resultsMap().removeEntryListener(resultsListener);
        hazelcast.getCluster().removeMembershipListener(trustListener);
      } catch (RuntimeException ignored) {
        // the member is already going away
      }
      audit.close();
      closeInventory.run();
      cancels.close();
      closeOutputs.run();
      control.close();
      if (plainHttpCheck != null) {
        plainHttpCheck.close();
      }
      expiries.unregister();
      client.close();
      prober.close();
    });
  }

  /** Loads the certificate and key once, off the event loop, so a bad file fails with its own reason. */
  private static Future<Void> checkTls(Vertx vertx, KeyCertOptions tls, HubOptions options) {
    if (tls == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      try {
        tls.getKeyManagerFactory(vertx);
        return null;
      } catch (Exception e) {
        throw new IllegalArgumentException("TLS certificate " + options.getTlsCertPath() + " with key "
            + options.getTlsKeyPath() + " could not be loaded: " + e.getMessage(), e);
      }
    }, false);
  }

  private static String scheme(HubOptions options) {
    return options.isTls() ? "https://" : "http://";
  }

  @Override
  public int httpPort() {
    return port;
  }

  @Override
  public String url() {
    return scheme(options) + options.getBindAddress() + ":" + port;
  }

  @Override
  public Inventory inventory() {
    return inventory;
  }

  @Override
  public Future<HubStatus> scanNow() {
    return discovery.runCycle();
  }

  @Override
  public Future<Void> close() {
    discovery.stop();
    detach.run();
    return http.close().andThen(ar -> {
      client.close();
      prober.close();
      audit.close();
    });
  }
}
