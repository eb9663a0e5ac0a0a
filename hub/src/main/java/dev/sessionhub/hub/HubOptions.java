package dev.sessionhub.hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a hub serves, joins its cluster and discovers sessions. Defaults follow DESIGN.md: HTTP on
 * 127.0.0.1:7700, Hazelcast on 5701, cluster {@code sessionhub}, a scan every 5 s, leases as {@link #defaultLease}
 * gives for the scan interval (20 s for 5 s).
 * Setters validate and return {@code this}; {@link #validate()} checks what spans fields.
 *
 * <p>TLS is optional on both sides. With a PEM certificate chain and key ({@link #setTlsCertPath(String)},
 * {@link #setTlsKeyPath(String)}) the hub's one port serves https only (REST, SSE, XML-RPC, dashboard). {@link
 * #setAgentTls(boolean)} says the agents serve https: scans call them over https and announcements with an
 * {@code http://} URL are refused. Any {@code https://} agent is verified against {@link #setAgentCaPath(String)}
 * (a PEM CA bundle) or, without one, the JDK's trusted CAs, host names included.
 */
public final class HubOptions {

  public static final int DEFAULT_HTTP_PORT = 7700;
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  public static final String DEFAULT_CLUSTER_NAME = "sessionhub";
  public static final int DEFAULT_HAZELCAST_PORT = 5701;
  public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(5);
  /** Time a silent partition takes to notice (Hazelcast's 8 s heartbeat timeout, measured 7.5-10.2 s) and more. */
  public static final Duration FAILOVER_ALLOWANCE = Duration.ofSeconds(15);
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofMillis(500);
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  public static final Duration DEFAULT_JOB_TTL = Duration.ofHours(24);
  public static final double DEFAULT_RATE_LIMIT = 200;
  public static final int DEFAULT_RATE_BURST = 400;
  public static final int DEFAULT_MAX_STREAMS_PER_CLIENT = 16;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_CLIENT = 64;
  /**
   * How long a client may take to send a request's headers (from connecting, or from its previous response) and
   * then, separately, its body; slower clients are cut (slow-loris).
   */
  public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Calls to agents in flight at once (the call slots of the agent client), commands and discovery polls
   * together. A broadcast runs at most this many commands at a time; a slot is one connection to an agent
   * (no thread: the client is Vert.x's asynchronous one). Why 32: measured with the earlier thread-per-call
   * client, where 64 cost a trivial broadcast more CPU for no gain; farms that send commands running for
   * seconds to hundreds of sessions want more.
   */
  public static final int DEFAULT_AGENT_CALLS = 32;

  private int httpPort = DEFAULT_HTTP_PORT;
  private String bindAddress = DEFAULT_BIND_ADDRESS;
  private List<String> scanTargets = new ArrayList<>();
  private Duration scanInterval = DEFAULT_SCAN_INTERVAL;
  private String clusterName = DEFAULT_CLUSTER_NAME;
  private int hazelcastPort = DEFAULT_HAZELCAST_PORT;
  private List<String> members = new ArrayList<>();
  private String token;
  /** Null: {@link #defaultLease} of the scan interval. */
  private Duration lease;
  private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
  private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private Duration jobTtl = DEFAULT_JOB_TTL;
  private String auditLog;
  private boolean openDiscovery;
  private boolean openMetrics;
  private double rateLimit = DEFAULT_RATE_LIMIT;
  private int rateBurst = DEFAULT_RATE_BURST;
  private int maxStreamsPerClient = DEFAULT_MAX_STREAMS_PER_CLIENT;
  private int maxInFlightPerClient = DEFAULT_MAX_IN_FLIGHT_PER_CLIENT;
  private List<String> trustedMembers = new ArrayList<>();
  private String tlsCertPath;
  private String tlsKeyPath;
  private boolean agentTls;
  private String agentCaPath;
  private Duration requestReadTimeout = DEFAULT_REQUEST_READ_TIMEOUT;
  private int agentCalls = DEFAULT_AGENT_CALLS;

  public HubOptions() {
  }

  public HubOptions(HubOptions o) {
    this(o.toJson().put("token", o.token));
  }

  public HubOptions(JsonObject json) {
    setHttpPort(json.getInteger("httpPort", httpPort));
    setBindAddress(json.getString("bindAddress", bindAddress));
    json.getJsonArray("scanTargets", new JsonArray()).forEach(t -> addScanTarget(String.valueOf(t)));
    setScanInterval(Duration.ofMillis(json.getLong("scanIntervalMs", scanInterval.toMillis())));
    setClusterName(json.getString("clusterName", clusterName));
    setHazelcastPort(json.getInteger("hazelcastPort", hazelcastPort));
    json.getJsonArray("members", new JsonArray()).forEach(m -> addMember(String.valueOf(m)));
    setToken(json.getString("token"));
    if (json.getValue("leaseMs") != null) {
      setLease(Duration.ofMillis(json.getLong("leaseMs")));
    }
    setProbeTimeout(Duration.ofMillis(json.getLong("probeTimeoutMs", probeTimeout.toMillis())));
    setPollTimeout(Duration.ofMillis(json.getLong("pollTimeoutMs", pollTimeout.toMillis())));
    setHeartbeatInterval(Duration.ofMillis(json.getLong("heartbeatIntervalMs", heartbeatInterval.toMillis())));
    setMaxInFlight(json.getInteger("maxInFlight", maxInFlight));
    setMaxBodyBytes(json.getInteger("maxBodyBytes", maxBodyBytes));
    setJobTtl(Duration.ofMillis(json.getLong("jobTtlMs", jobTtl.toMillis())));
    setAuditLog(json.getString("auditLog"));
    setOpenDiscovery(json.getBoolean("openDiscovery", openDiscovery));
    setOpenMetrics(json.getBoolean("openMetrics", openMetrics));
    setRateLimit(json.getDouble("rateLimit", rateLimit));
    setRateBurst(json.getInteger("rateBurst", rateBurst));
    setMaxStreamsPerClient(json.getInteger("maxStreamsPerClient", maxStreamsPerClient));
    setMaxInFlightPerClient(json.getInteger("maxInFlightPerClient", maxInFlightPerClient));
    json.getJsonArray("trustedMembers", new JsonArray()).forEach(m -> addTrustedMember(String.valueOf(m)));
    setTlsCertPath(json.getString("tlsCertPath"));
    setTlsKeyPath(json.getString("tlsKeyPath"));
    setAgentTls(json.getBoolean("agentTls", agentTls));
    setAgentCaPath(json.getString("agentCaPath"));
    setRequestReadTimeout(Duration.ofMillis(json.getLong("requestReadTimeoutMs", requestReadTimeout.toMillis())));
    setAgentCalls(json.getInteger("agentCalls", agentCalls));
  }

  /** The options as JSON, without the token. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("httpPort", httpPort)
        .put("bindAddress", bindAddress)
        .put("scanTargets", new JsonArray(new ArrayList<>(scanTargets)))
        .put("scanIntervalMs", scanInterval.toMillis())
        .put("clusterName", clusterName)
        .put("hazelcastPort", hazelcastPort)
        .put("members", new JsonArray(new ArrayList<>(members)))
        .put("leaseMs", getLease().toMillis())
        .put("probeTimeoutMs", probeTimeout.toMillis())
        .put("pollTimeoutMs", pollTimeout.toMillis())
        .put("heartbeatIntervalMs", heartbeatInterval.toMillis())
        .put("maxInFlight", maxInFlight)
        .put("maxBodyBytes", maxBodyBytes)
        .put("jobTtlMs", jobTtl.toMillis())
        .put("auditLog", auditLog)
        .put("openDiscovery", openDiscovery)
        .put("openMetrics", openMetrics)
        .put("rateLimit", rateLimit)
        .put("rateBurst", rateBurst)
        .put("maxStreamsPerClient", maxStreamsPerClient)
        .put("maxInFlightPerClient", maxInFlightPerClient)
        .put("trustedMembers", new JsonArray(new ArrayList<>(trustedMembers)))
        .put("tlsCertPath", tlsCertPath)
        .put("tlsKeyPath", tlsKeyPath)
        .put("agentTls", agentTls)
        .put("agentCaPath", agentCaPath)
        .put("requestReadTimeoutMs", requestReadTimeout.toMillis())
        .put("agentCalls", agentCalls)
        .put("tokenSet", token != null);
  }

  public HubOptions validate() {
    boolean loopback = bindAddress.startsWith("127.") || bindAddress.equals("localhost") || bindAddress.equals("::1");
    if (!loopback && token == null) {
      throw new IllegalArgumentException("binding " + bindAddress
          + " exposes the hub beyond this machine: set a token (--token-file, SESSIONHUB_TOKEN)");
    }
    if ((tlsCertPath == null) != (tlsKeyPath == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and a private key (--tls-cert and --tls-key)");
    }
    readable(tlsCertPath, "TLS certificate");
    readable(tlsKeyPath, "TLS private key");
    readable(agentCaPath, "agent CA bundle");
    if (getLease().compareTo(scanInterval) <= 0) {
      throw new IllegalArgumentException("lease " + getLease().toMillis() + " ms must be longer than the scan interval "
          + scanInterval.toMillis() + " ms, or every session would expire between polls");
    }
    return this;
  }

  public int getHttpPort() {
    return httpPort;
  }

  public HubOptions setHttpPort(int httpPort) {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http port " + httpPort + " is outside 0-65535");
    }
    this.httpPort = httpPort;
    return this;
  }

  public String getBindAddress() {
    return bindAddress;
  }

  public HubOptions setBindAddress(String bindAddress) {
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("bind address is empty");
    }
    this.bindAddress = bindAddress;
    return this;
  }

  public List<String> getScanTargets() {
    return List.copyOf(scanTargets);
  }

  public HubOptions addScanTarget(String target) {
    if (target != null && !target.isBlank()) {
      scanTargets.add(target.trim());
    }
    return this;
  }

  public Duration getScanInterval() {
    return scanInterval;
  }

  public HubOptions setScanInterval(Duration scanInterval) {
    this.scanInterval = positive(scanInterval, "scan interval");
    return this;
  }

  public String getClusterName() {
    return clusterName;
  }

  public HubOptions setClusterName(String clusterName) {
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("cluster name is empty");
    }
    this.clusterName = clusterName;
    return this;
  }

  public int getHazelcastPort() {
    return hazelcastPort;
  }

  public HubOptions setHazelcastPort(int hazelcastPort) {
    if (hazelcastPort < 1 || hazelcastPort > 65535) {
      throw new IllegalArgumentException("Hazelcast port " + hazelcastPort + " is outside 1-65535");
    }
    this.hazelcastPort = hazelcastPort;
    return this;
  }

  public List<String> getMembers() {
    return List.copyOf(members);
  }

  public HubOptions addMember(String member) {
    if (member != null && !member.isBlank()) {
      members.add(member.trim());
    }
    return this;
  }

  public String getToken() {
    return token;
  }

  public HubOptions setToken(String token) {
    this.token = token == null || token.isEmpty() ? null : token;
    return this;
  }

  /** The lease set, or {@link #defaultLease} of the scan interval. */
  public Duration getLease() {
    return lease != null ? lease : defaultLease(scanInterval);
  }

  /**
   * The lease when none is given, the one rule for it: 3 scan intervals, and at least one interval plus {@link
   * #FAILOVER_ALLOWANCE}. A session's entry may live in a partition whose owner just became unreachable; its
   * hub's renewals wait until the cluster declares that member gone (up to ~10 s after a silent split) and only
   * then land. A lease shorter than the time since the last renewal (up to one interval and a cycle) plus that
   * wait expires live, reachable sessions during a partition: the netns farm's HubPartitionIT saw it with 12 s
   * leases and 2 s scans.
   */
  public static Duration defaultLease(Duration scanInterval) {
    Duration threeIntervals = scanInterval.multipliedBy(3);
    Duration failover = scanInterval.plus(FAILOVER_ALLOWANCE);
    return threeIntervals.compareTo(failover) > 0 ? threeIntervals : failover;
  }

  public HubOptions setLease(Duration lease) {
    this.lease = positive(lease, "lease");
    return this;
  }

  public Duration getProbeTimeout() {
    return probeTimeout;
  }

  public HubOptions setProbeTimeout(Duration probeTimeout) {
    this.probeTimeout = positive(probeTimeout, "probe timeout");
    return this;
  }

  public Duration getPollTimeout() {
    return pollTimeout;
  }

  public HubOptions setPollTimeout(Duration pollTimeout) {
    this.pollTimeout = positive(pollTimeout, "poll timeout");
    return this;
  }

  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public HubOptions setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = positive(heartbeatInterval, "heartbeat interval");
    return this;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public HubOptions setMaxInFlight(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("max in flight must be positive, got " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    return this;
  }

  public int getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public HubOptions setMaxBodyBytes(int maxBodyBytes) {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("max body bytes must be at least 1024, got " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  public Duration getJobTtl() {
    return jobTtl;
  }

  /** How long finished jobs stay readable (default 24 h). */
  public HubOptions setJobTtl(Duration jobTtl) {
    this.jobTtl = positive(jobTtl, "job TTL");
    return this;
  }

  /** The audit log file (JSON lines, rotated); null records nothing. */
  public String getAuditLog() {
    return auditLog;
  }

  public HubOptions setAuditLog(String auditLog) {
    this.auditLog = auditLog == null || auditLog.isBlank() ? null : auditLog;
    return this;
  }

  /**
   * Whether reading the inventory (sessions, cluster, events; {@code hub.sessions}, {@code hub.session}) is
   * allowed without the token. Jobs, commands and registration never are.
   */
  /** Whether {@code GET /metrics} answers without the token (counts only: no addresses, no job ids, no code). */
  public boolean isOpenMetrics() {
    return openMetrics;
  }

  public HubOptions setOpenMetrics(boolean openMetrics) {
    this.openMetrics = openMetrics;
    return this;
  }

  public boolean isOpenDiscovery() {
    return openDiscovery;
  }

  public HubOptions setOpenDiscovery(boolean openDiscovery) {
    this.openDiscovery = openDiscovery;
    return this;
  }

  /** Calls to agents in flight at once; see {@link #DEFAULT_AGENT_CALLS}. */
  public int getAgentCalls() {
    return agentCalls;
  }

  public HubOptions setAgentCalls(int agentCalls) {
    if (agentCalls < 1 || agentCalls > 4096) {
      throw new IllegalArgumentException("agent calls must be between 1 and 4096, got " + agentCalls);
    }
    this.agentCalls = agentCalls;
    return this;
  }

  /** Requests per second each client (remote address) may make on average; 0 turns rate limiting off. */
  public double getRateLimit() {
    return rateLimit;
  }

  public HubOptions setRateLimit(double rateLimit) {
    if (rateLimit < 0 || Double.isNaN(rateLimit)) {
      throw new IllegalArgumentException("rate limit must be >= 0 requests/s, got " + rateLimit);
    }
    this.rateLimit = rateLimit;
    return this;
  }

  /** How many requests a client may make at once above its rate. */
  public int getRateBurst() {
    return rateBurst;
  }

  public HubOptions setRateBurst(int rateBurst) {
    if (rateBurst < 1) {
      throw new IllegalArgumentException("rate burst must be >= 1, got " + rateBurst);
    }
    this.rateBurst = rateBurst;
    return this;
  }

  /** Open event streams (SSE) one client may hold. */
  public int getMaxStreamsPerClient() {
    return maxStreamsPerClient;
  }

  public HubOptions setMaxStreamsPerClient(int maxStreamsPerClient) {
    if (maxStreamsPerClient < 1) {
      throw new IllegalArgumentException("max streams per client must be >= 1, got " + maxStreamsPerClient);
    }
    this.maxStreamsPerClient = maxStreamsPerClient;
    return this;
  }

  /** Requests one client may have open at once (each may buffer up to the body limit). */
  public int getMaxInFlightPerClient() {
    return maxInFlightPerClient;
  }

  public HubOptions setMaxInFlightPerClient(int maxInFlightPerClient) {
    if (maxInFlightPerClient < 1) {
      throw new IllegalArgumentException("max in-flight requests per client must be >= 1, got "
          + maxInFlightPerClient);
    }
    this.maxInFlightPerClient = maxInFlightPerClient;
    return this;
  }

  /**
   * Addresses or CIDR ranges cluster members may have; empty trusts any member that knows the cluster name. A
   * member outside the list is reported and never given work, and batches it sends are refused.
   */
  public List<String> getTrustedMembers() {
    return List.copyOf(trustedMembers);
  }

  public HubOptions addTrustedMember(String member) {
    if (member != null && !member.isBlank()) {
      new dev.sessionhub.hub.cluster.MemberTrust(List.of(member)); // names a bad entry now, not at start
      trustedMembers.add(member.trim());
    }
    return this;
  }

  /** True when the hub's HTTP port serves https (a certificate and key are set). */
  public boolean isTls() {
    return tlsCertPath != null;
  }

  public String getTlsCertPath() {
    return tlsCertPath;
  }

  /** The PEM certificate chain (server certificate first) of the hub's HTTP port; {@code null}: plain http. */
  public HubOptions setTlsCertPath(String tlsCertPath) {
    this.tlsCertPath = blankToNull(tlsCertPath);
    return this;
  }

  public String getTlsKeyPath() {
    return tlsKeyPath;
  }

  /** The PEM private key (PKCS#8, or PKCS#1 RSA) of the TLS certificate. */
  public HubOptions setTlsKeyPath(String tlsKeyPath) {
    this.tlsKeyPath = blankToNull(tlsKeyPath);
    return this;
  }

  public boolean isAgentTls() {
    return agentTls;
  }

  /** Agents serve https: scans use {@code https://}, and announcements with an {@code http://} URL are refused. */
  public HubOptions setAgentTls(boolean agentTls) {
    this.agentTls = agentTls;
    return this;
  }

  public String getAgentCaPath() {
    return agentCaPath;
  }

  /** A PEM CA bundle an {@code https://} agent's certificate must chain to; {@code null}: the JDK's CAs. */
  public HubOptions setAgentCaPath(String agentCaPath) {
    this.agentCaPath = blankToNull(agentCaPath);
    return this;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static void readable(String path, String what) {
    if (path != null && !Files.isReadable(Path.of(path))) {
      throw new IllegalArgumentException(what + " " + path + " is not a readable file");
    }
  }

  public Duration getRequestReadTimeout() {
    return requestReadTimeout;
  }

  /** How long a client may take to send a request's headers, and then its body (default 10 s). */
  public HubOptions setRequestReadTimeout(Duration requestReadTimeout) {
    this.requestReadTimeout = positive(requestReadTimeout, "request read timeout");
    return this;
  }

  private static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }
}
