package dev.sessionhub.hub.impl.client;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * How the hub's {@link AgentClient} connects, authenticates and bounds its work.
 *
 * <p>Defaults suit a farm on one network: 1 s to connect for discovery's poll (a live agent answers a connect in
 * microseconds; a dead host should not hold a worker, and a poll that fails is tried again next cycle), 3 s to
 * connect for a command (it covers TCP's first SYN retransmission, 1 s after the SYN: a command not sent is a
 * command not run, and one lost SYN or SYN-ACK must not make a live session unreachable), 3 s in all for
 * discovery's {@code server_data()} poll, 4 MiB per response, 32 worker threads and 10,000 calls waiting for one, {@code https://} agents verified against the JDK's trusted CAs.
 * Setters validate and return {@code this}; the copy and JSON constructors let the hub build options from flags,
 * environment or a file.
 */
public final class AgentClientOptions {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_COMMAND_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(3);
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 << 20;
  public static final int DEFAULT_POOL_SIZE = 32;
  public static final int DEFAULT_MAX_QUEUED = 10_000;
  /** Well below the agents' own idle close (their request read timeout, 10 s), so the hub never reuses a
   *  connection at the moment the agent drops it. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_IDLE_CONNECTIONS = 2048;
  /** No token: requests carry no {@code Authorization} header. */
  public static final String DEFAULT_TOKEN = null;
  public static final String DEFAULT_USER_AGENT = "sessionhub-hub/0.1.0";
  /** The Basic-auth user name sent with the token as password; agents ignore it, as Python's clients do. */
  public static final String BASIC_AUTH_USER = "sessionhub";

  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration commandConnectTimeout = DEFAULT_COMMAND_CONNECT_TIMEOUT;
  private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
  private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
  private int poolSize = DEFAULT_POOL_SIZE;
  private int maxQueued = DEFAULT_MAX_QUEUED;
  private String token = DEFAULT_TOKEN;
  private String userAgent = DEFAULT_USER_AGENT;
  private String caPath;
  private Duration keepAlive = DEFAULT_KEEP_ALIVE;
  private int maxIdleConnections = DEFAULT_MAX_IDLE_CONNECTIONS;

  public AgentClientOptions() {
  }

  public AgentClientOptions(AgentClientOptions other) {
    this.connectTimeout = other.connectTimeout;
    this.commandConnectTimeout = other.commandConnectTimeout;
    this.pollTimeout = other.pollTimeout;
    this.maxResponseBytes = other.maxResponseBytes;
    this.poolSize = other.poolSize;
    this.maxQueued = other.maxQueued;
    this.token = other.token;
    this.userAgent = other.userAgent;
    this.caPath = other.caPath;
    this.keepAlive = other.keepAlive;
    this.maxIdleConnections = other.maxIdleConnections;
  }

  /** Reads the keys {@link #toJson()} writes, plus {@code token}; absent keys keep their defaults. */
  public AgentClientOptions(JsonObject json) {
    this();
    setConnectTimeout(Duration.ofMillis(json.getLong("connectTimeoutMs", connectTimeout.toMillis())));
    setCommandConnectTimeout(Duration.ofMillis(json.getLong("commandConnectTimeoutMs",
        commandConnectTimeout.toMillis())));
    setPollTimeout(Duration.ofMillis(json.getLong("pollTimeoutMs", pollTimeout.toMillis())));
    setMaxResponseBytes(json.getInteger("maxResponseBytes", maxResponseBytes));
    setPoolSize(json.getInteger("poolSize", poolSize));
    setMaxQueued(json.getInteger("maxQueued", maxQueued));
    setToken(json.getString("token"));
    setUserAgent(json.getString("userAgent", userAgent));
    setCaPath(json.getString("caPath"));
    setKeepAlive(Duration.ofMillis(json.getLong("keepAliveMs", keepAlive.toMillis())));
    setMaxIdleConnections(json.getInteger("maxIdleConnections", maxIdleConnections));
  }

  /** The options as JSON. The token is never written (only whether one is set): it must stay out of logs. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("connectTimeoutMs", connectTimeout.toMillis())
        .put("commandConnectTimeoutMs", commandConnectTimeout.toMillis())
        .put("pollTimeoutMs", pollTimeout.toMillis())
        .put("maxResponseBytes", maxResponseBytes)
        .put("poolSize", poolSize)
        .put("maxQueued", maxQueued)
        .put("userAgent", userAgent)
        .put("caPath", caPath)
        .put("keepAliveMs", keepAlive.toMillis())
        .put("maxIdleConnections", maxIdleConnections)
        .put("tokenSet", token != null);
  }

  public Duration getKeepAlive() {
    return keepAlive;
  }

  /** How long an idle connection to an agent is kept for the next call (HTTP/1.1 agents that allow it). */
  public AgentClientOptions setKeepAlive(Duration keepAlive) {
    this.keepAlive = positive(keepAlive, "keep-alive");
    return this;
  }

  public int getMaxIdleConnections() {
    return maxIdleConnections;
  }

  /** Idle agent connections kept in all (each is a file descriptor); 0 closes every connection after its call. */
  public AgentClientOptions setMaxIdleConnections(int maxIdleConnections) {
    if (maxIdleConnections < 0) {
      throw new IllegalArgumentException("max idle connections must be 0 or more, got " + maxIdleConnections);
    }
    this.maxIdleConnections = maxIdleConnections;
    return this;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /** How long {@code server_data()} (discovery's poll) waits for a connection. */
  public AgentClientOptions setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive(connectTimeout, "connect timeout");
    return this;
  }

  public Duration getCommandConnectTimeout() {
    return commandConnectTimeout;
  }

  /**
   * How long every other call ({@code command}, {@code evaluate}, output and cancel calls) waits for a connection,
   * within its own timeout.
   */
  public AgentClientOptions setCommandConnectTimeout(Duration commandConnectTimeout) {
    this.commandConnectTimeout = positive(commandConnectTimeout, "command connect timeout");
    return this;
  }

  public Duration getPollTimeout() {
    return pollTimeout;
  }

  /** The total timeout of {@link AgentClient#serverData(String)}. */
  public AgentClientOptions setPollTimeout(Duration pollTimeout) {
    this.pollTimeout = positive(pollTimeout, "poll timeout");
    return this;
  }

  public int getMaxResponseBytes() {
    return maxResponseBytes;
  }

  /** Bytes of response body (after the HTTP headers) read before the call fails with PROTOCOL. */
  public AgentClientOptions setMaxResponseBytes(int maxResponseBytes) {
    this.maxResponseBytes = positive(maxResponseBytes, "max response bytes");
    return this;
  }

  public int getPoolSize() {
    return poolSize;
  }

  /** Worker threads, i.e. calls in flight at once. */
  public AgentClientOptions setPoolSize(int poolSize) {
    this.poolSize = positive(poolSize, "pool size");
    return this;
  }

  public int getMaxQueued() {
    return maxQueued;
  }

  /** Calls allowed to wait for a worker; one more fails at once with OVERLOADED. Zero means no waiting. */
  public AgentClientOptions setMaxQueued(int maxQueued) {
    if (maxQueued < 0) {
      throw new IllegalArgumentException("max queued must not be negative, got " + maxQueued);
    }
    this.maxQueued = maxQueued;
    return this;
  }

  public String getToken() {
    return token;
  }

  /** Sent as HTTP Basic auth, user {@value #BASIC_AUTH_USER}, the token as password; {@code null} for none. */
  public AgentClientOptions setToken(String token) {
    if (token != null && (token.isEmpty() || token.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
      throw new IllegalArgumentException("token must be non-empty and free of control characters");
    }
    this.token = token;
    return this;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public AgentClientOptions setUserAgent(String userAgent) {
    Objects.requireNonNull(userAgent, "user agent");
    if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("user agent must be non-blank and free of control characters");
    }
    this.userAgent = userAgent;
    return this;
  }

  public String getCaPath() {
    return caPath;
  }

  /**
   * A PEM bundle of the CAs an {@code https://} agent's certificate must chain to; {@code null} (the default):
   * the JDK's trusted CAs. Host names are verified either way, and an untrusted agent fails the call as {@link
   * AgentCallException.Kind#UNREACHABLE}; it is never retried over http.
   */
  public AgentClientOptions setCaPath(String caPath) {
    this.caPath = caPath == null || caPath.isBlank() ? null : caPath;
    return this;
  }

  private static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero() || value.toMillis() == 0) {
      throw new IllegalArgumentException(what + " must be at least 1 ms, got " + value);
    }
    if (value.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + " is too long: " + value);
    }
    return value;
  }

  private static int positive(int value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }
}
