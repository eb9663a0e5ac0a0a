package dev.sessionhub.hub;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How a hub serves, joins its cluster, discovers sessions and keeps jobs: the token, and one options object per
 * concern, each validating its own values and passed on as it is to the part of the hub it configures:
 * <ul>
 *   <li>{@link HubHttpOptions}: the HTTP port (REST, SSE, XML-RPC, dashboard), https, open reads, client limits;
 *   <li>{@link DiscoveryOptions}: scan targets and interval, the lease, probe and poll timeouts, agent calls,
 *       agents' https;
 *   <li>{@link ClusterOptions}: the Hazelcast member;
 *   <li>{@link JobOptions}: how long jobs stay readable, the audit log.
 * </ul>
 * Setters validate and return {@code this}; {@link #validate()} checks what spans fields. The flat setters below
 * ({@link #setHttpPort}, {@link #setClusterName}, ...) are shorthands for the nested ones, as the CLI and tests
 * set a handful of values at once.
 */
public final class HubOptions {

  private String token;
  private final HubHttpOptions http;
  private final DiscoveryOptions discovery;
  private final ClusterOptions cluster;
  private final JobOptions jobs;

  public HubOptions() {
    this(new JsonObject());
  }

  public HubOptions(HubOptions o) {
    this(o.toJson().put("token", o.token));
  }

  /** Reads the keys {@link #toJson()} writes (and {@code token}); absent keys keep their defaults. */
  public HubOptions(JsonObject json) {
    setToken(json.getString("token"));
    this.http = new HubHttpOptions(json.getJsonObject("http", new JsonObject()));
    this.discovery = new DiscoveryOptions(json.getJsonObject("discovery", new JsonObject()));
    this.cluster = new ClusterOptions(json.getJsonObject("cluster", new JsonObject()));
    this.jobs = new JobOptions(json.getJsonObject("jobs", new JsonObject()));
  }

  /** The options as JSON, without the token (only whether one is set). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("http", http.toJson())
        .put("discovery", discovery.toJson())
        .put("cluster", cluster.toJson())
        .put("jobs", jobs.toJson())
        .put("tokenSet", token != null);
  }

  /** Each group's own checks, and the token rule: a hub reachable beyond this machine needs one. */
  public HubOptions validate() {
    if (!http.isLoopback() && token == null) {
      throw new IllegalArgumentException("binding " + http.getBindAddress()
          + " exposes the hub beyond this machine: set a token (--token-file, SESSIONHUB_TOKEN)");
    }
    http.validate();
    discovery.validate();
    return this;
  }

  /** The shared secret: API and XML-RPC callers, agents, and cluster members prove they know it. */
  public String getToken() {
    return token;
  }

  public HubOptions setToken(String token) {
    this.token = token == null || token.isEmpty() ? null : token;
    return this;
  }

  public HubHttpOptions getHttp() {
    return http;
  }

  public DiscoveryOptions getDiscovery() {
    return discovery;
  }

  public ClusterOptions getCluster() {
    return cluster;
  }

  public JobOptions getJobs() {
    return jobs;
  }

  // Shorthands for the nested options.

  public HubOptions setHttpPort(int port) {
    http.setPort(port);
    return this;
  }

  public HubOptions setBindAddress(String bindAddress) {
    http.setBindAddress(bindAddress);
    return this;
  }

  public HubOptions setTlsCertPath(String certPath) {
    http.getTls().setCertPath(certPath);
    return this;
  }

  public HubOptions setTlsKeyPath(String keyPath) {
    http.getTls().setKeyPath(keyPath);
    return this;
  }

  public HubOptions setOpenDiscovery(boolean open) {
    http.setOpenDiscovery(open);
    return this;
  }

  public HubOptions setOpenMetrics(boolean open) {
    http.setOpenMetrics(open);
    return this;
  }

  public HubOptions setMaxBodyBytes(int maxBodyBytes) {
    http.setMaxBodyBytes(maxBodyBytes);
    return this;
  }

  public HubOptions setRequestReadTimeout(Duration timeout) {
    http.setRequestReadTimeout(timeout);
    return this;
  }

  public HubOptions setRateLimit(double rateLimit) {
    http.setRateLimit(rateLimit);
    return this;
  }

  public HubOptions setRateBurst(int rateBurst) {
    http.setRateBurst(rateBurst);
    return this;
  }

  public HubOptions setMaxStreamsPerClient(int max) {
    http.setMaxStreamsPerClient(max);
    return this;
  }

  public HubOptions setMaxInFlightPerClient(int max) {
    http.setMaxInFlightPerClient(max);
    return this;
  }

  public HubOptions addScanTarget(String target) {
    discovery.addScanTarget(target);
    return this;
  }

  public HubOptions setScanInterval(Duration interval) {
    discovery.setScanInterval(interval);
    return this;
  }

  public HubOptions setLease(Duration lease) {
    discovery.setLease(lease);
    return this;
  }

  public HubOptions setProbeTimeout(Duration timeout) {
    discovery.setProbeTimeout(timeout);
    return this;
  }

  public HubOptions setPollTimeout(Duration timeout) {
    discovery.setPollTimeout(timeout);
    return this;
  }

  public HubOptions setHeartbeatInterval(Duration interval) {
    discovery.setHeartbeatInterval(interval);
    return this;
  }

  public HubOptions setMaxInFlight(int maxInFlight) {
    discovery.setMaxInFlight(maxInFlight);
    return this;
  }

  public HubOptions setAgentCalls(int agentCalls) {
    discovery.setAgentCalls(agentCalls);
    return this;
  }

  public HubOptions setAgentTls(boolean agentTls) {
    discovery.setAgentTls(agentTls);
    return this;
  }

  public HubOptions setAgentCaPath(String caPath) {
    discovery.setAgentCaPath(caPath);
    return this;
  }

  public HubOptions setClusterName(String name) {
    cluster.setName(name);
    return this;
  }

  public HubOptions setHazelcastPort(int port) {
    cluster.setHazelcastPort(port);
    return this;
  }

  public HubOptions addMember(String member) {
    cluster.addMember(member);
    return this;
  }

  public HubOptions addTrustedMember(String member) {
    cluster.addTrustedMember(member);
    return this;
  }

  public HubOptions setJobTtl(Duration ttl) {
    jobs.setJobTtl(ttl);
    return this;
  }

  public HubOptions setAuditLog(String auditLog) {
    jobs.setAuditLog(auditLog);
    return this;
  }

  static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }
}
