package dev.sessionhub.hub;

import dev.sessionhub.shared.tls.ServerTlsOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a hub finds sessions and calls them: the host and port ranges it scans and how often, the lease of an
 * inventory entry, the timeouts of a probe and a poll, how agents heartbeat, how many agent calls run at once,
 * and whether agents speak https. Defaults: a scan every 5 s, leases as {@link #defaultLease} gives for the
 * interval (20 s for 5 s).
 */
public final class DiscoveryOptions {

  public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(5);
  /** Time a silent partition takes to notice (Hazelcast's 8 s heartbeat timeout, measured 7.5-10.2 s) and more. */
  public static final Duration FAILOVER_ALLOWANCE = Duration.ofSeconds(15);
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofMillis(500);
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  /**
   * Calls to agents in flight at once, commands and discovery polls together. A broadcast runs at most this many
   * commands at a time. Why 32 and not more: on the 2-core reference machine 64 cost a trivial broadcast ~7 µs
   * more CPU a target for no gain; farms that send commands running for seconds to hundreds of sessions want more.
   */
  public static final int DEFAULT_AGENT_CALLS = 32;

  private final List<String> scanTargets = new ArrayList<>();
  private Duration scanInterval = DEFAULT_SCAN_INTERVAL;
  /** Null: {@link #defaultLease} of the scan interval. */
  private Duration lease;
  private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
  private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private int agentCalls = DEFAULT_AGENT_CALLS;
  private boolean agentTls;
  private String agentCaPath;

  public DiscoveryOptions() {
  }

  /** Reads the keys {@link #toJson()} writes; absent keys keep their defaults. */
  public DiscoveryOptions(JsonObject json) {
    json.getJsonArray("scanTargets", new JsonArray()).forEach(t -> addScanTarget(String.valueOf(t)));
    setScanInterval(Duration.ofMillis(json.getLong("scanIntervalMs", scanInterval.toMillis())));
    if (json.getValue("leaseMs") != null) {
      setLease(Duration.ofMillis(json.getLong("leaseMs")));
    }
    setProbeTimeout(Duration.ofMillis(json.getLong("probeTimeoutMs", probeTimeout.toMillis())));
    setPollTimeout(Duration.ofMillis(json.getLong("pollTimeoutMs", pollTimeout.toMillis())));
    setHeartbeatInterval(Duration.ofMillis(json.getLong("heartbeatIntervalMs", heartbeatInterval.toMillis())));
    setMaxInFlight(json.getInteger("maxInFlight", maxInFlight));
    setAgentCalls(json.getInteger("agentCalls", agentCalls));
    setAgentTls(json.getBoolean("agentTls", agentTls));
    setAgentCaPath(json.getString("agentCaPath"));
  }

  /** The lease is written only when set; an unset one follows the scan interval when read back. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("scanTargets", new JsonArray(new ArrayList<>(scanTargets)))
        .put("scanIntervalMs", scanInterval.toMillis());
    if (lease != null) {
      json.put("leaseMs", lease.toMillis());
    }
    return json.put("probeTimeoutMs", probeTimeout.toMillis())
        .put("pollTimeoutMs", pollTimeout.toMillis())
        .put("heartbeatIntervalMs", heartbeatInterval.toMillis())
        .put("maxInFlight", maxInFlight)
        .put("agentCalls", agentCalls)
        .put("agentTls", agentTls)
        .put("agentCaPath", agentCaPath);
  }

  /** The CA bundle is readable, and the lease outlives a scan interval. */
  public DiscoveryOptions validate() {
    ServerTlsOptions.readable(agentCaPath, "agent CA bundle");
    if (getLease().compareTo(scanInterval) <= 0) {
      throw new IllegalArgumentException("lease " + getLease().toMillis() + " ms must be longer than the scan "
          + "interval " + scanInterval.toMillis() + " ms, or every session would expire between polls");
    }
    return this;
  }

  /** Host and port ranges to scan ({@code render[01-40]:8000-8010}, CIDR, lists). */
  public List<String> getScanTargets() {
    return List.copyOf(scanTargets);
  }

  public DiscoveryOptions addScanTarget(String target) {
    if (target != null && !target.isBlank()) {
      scanTargets.add(target.trim());
    }
    return this;
  }

  public Duration getScanInterval() {
    return scanInterval;
  }

  public DiscoveryOptions setScanInterval(Duration scanInterval) {
    this.scanInterval = HubOptions.positive(scanInterval, "scan interval");
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

  public DiscoveryOptions setLease(Duration lease) {
    this.lease = HubOptions.positive(lease, "lease");
    return this;
  }

  /** How long a port probe (TCP connect) may take. */
  public Duration getProbeTimeout() {
    return probeTimeout;
  }

  public DiscoveryOptions setProbeTimeout(Duration probeTimeout) {
    this.probeTimeout = HubOptions.positive(probeTimeout, "probe timeout");
    return this;
  }

  /** How long a {@code server_data()} poll may take. */
  public Duration getPollTimeout() {
    return pollTimeout;
  }

  public DiscoveryOptions setPollTimeout(Duration pollTimeout) {
    this.pollTimeout = HubOptions.positive(pollTimeout, "poll timeout");
    return this;
  }

  /** How often announced agents are told to heartbeat. */
  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public DiscoveryOptions setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = HubOptions.positive(heartbeatInterval, "heartbeat interval");
    return this;
  }

  /** Probes and polls of one scan in flight at once. */
  public int getMaxInFlight() {
    return maxInFlight;
  }

  public DiscoveryOptions setMaxInFlight(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("max in flight must be positive, got " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    return this;
  }

  /** Calls to agents in flight at once; see {@link #DEFAULT_AGENT_CALLS}. */
  public int getAgentCalls() {
    return agentCalls;
  }

  public DiscoveryOptions setAgentCalls(int agentCalls) {
    if (agentCalls < 1 || agentCalls > 4096) {
      throw new IllegalArgumentException("agent calls must be between 1 and 4096, got " + agentCalls);
    }
    this.agentCalls = agentCalls;
    return this;
  }

  public boolean isAgentTls() {
    return agentTls;
  }

  /** Agents serve https: scans use {@code https://}, and announcements with an {@code http://} URL are refused. */
  public DiscoveryOptions setAgentTls(boolean agentTls) {
    this.agentTls = agentTls;
    return this;
  }

  public String getAgentCaPath() {
    return agentCaPath;
  }

  /** A PEM CA bundle an {@code https://} agent's certificate must chain to; {@code null}: the JDK's CAs. */
  public DiscoveryOptions setAgentCaPath(String agentCaPath) {
    this.agentCaPath = agentCaPath == null || agentCaPath.isBlank() ? null : agentCaPath;
    return this;
  }
}
