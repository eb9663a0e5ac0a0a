package dev.sessionhub.hub;

import dev.sessionhub.shared.tls.ServerTlsOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The hub's HTTP edge (REST, SSE, XML-RPC, dashboard on one port): where it listens, https, what it lets through
 * without the token, and how it guards itself against greedy or slow clients. Defaults follow DESIGN.md:
 * 127.0.0.1:7700, plain http.
 */
public final class HubHttpOptions {

  public static final int DEFAULT_PORT = 7700;
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  public static final double DEFAULT_RATE_LIMIT = 200;
  public static final int DEFAULT_RATE_BURST = 400;
  public static final int DEFAULT_MAX_STREAMS_PER_CLIENT = 16;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_CLIENT = 64;
  /**
   * How long a client may take to send a request's headers (from connecting, or from its previous response) and
   * then, separately, its body; slower clients are cut (slow-loris).
   */
  public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);

  private int port = DEFAULT_PORT;
  private String bindAddress = DEFAULT_BIND_ADDRESS;
  private final ServerTlsOptions tls = new ServerTlsOptions();
  private boolean openDiscovery;
  private boolean openMetrics;
  private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private Duration requestReadTimeout = DEFAULT_REQUEST_READ_TIMEOUT;
  private double rateLimit = DEFAULT_RATE_LIMIT;
  private int rateBurst = DEFAULT_RATE_BURST;
  private int maxStreamsPerClient = DEFAULT_MAX_STREAMS_PER_CLIENT;
  private int maxInFlightPerClient = DEFAULT_MAX_IN_FLIGHT_PER_CLIENT;

  public HubHttpOptions() {
  }

  /** Reads the keys {@link #toJson()} writes; absent keys keep their defaults. */
  public HubHttpOptions(JsonObject json) {
    setPort(json.getInteger("port", port));
    setBindAddress(json.getString("bindAddress", bindAddress));
    tls.setCertPath(json.getString("tlsCertPath")).setKeyPath(json.getString("tlsKeyPath"));
    setOpenDiscovery(json.getBoolean("openDiscovery", openDiscovery));
    setOpenMetrics(json.getBoolean("openMetrics", openMetrics));
    setMaxBodyBytes(json.getInteger("maxBodyBytes", maxBodyBytes));
    setRequestReadTimeout(Duration.ofMillis(json.getLong("requestReadTimeoutMs", requestReadTimeout.toMillis())));
    setRateLimit(json.getDouble("rateLimit", rateLimit));
    setRateBurst(json.getInteger("rateBurst", rateBurst));
    setMaxStreamsPerClient(json.getInteger("maxStreamsPerClient", maxStreamsPerClient));
    setMaxInFlightPerClient(json.getInteger("maxInFlightPerClient", maxInFlightPerClient));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("port", port)
        .put("bindAddress", bindAddress)
        .put("tlsCertPath", tls.getCertPath())
        .put("tlsKeyPath", tls.getKeyPath())
        .put("openDiscovery", openDiscovery)
        .put("openMetrics", openMetrics)
        .put("maxBodyBytes", maxBodyBytes)
        .put("requestReadTimeoutMs", requestReadTimeout.toMillis())
        .put("rateLimit", rateLimit)
        .put("rateBurst", rateBurst)
        .put("maxStreamsPerClient", maxStreamsPerClient)
        .put("maxInFlightPerClient", maxInFlightPerClient);
  }

  /** The https certificate and key (see {@link ServerTlsOptions}); the port serves https only when set. */
  public HubHttpOptions validate() {
    tls.validate();
    return this;
  }

  /** True when the bind address is this machine only (exposing the hub further needs a token). */
  public boolean isLoopback() {
    return bindAddress.startsWith("127.") || bindAddress.equals("localhost") || bindAddress.equals("::1");
  }

  public int getPort() {
    return port;
  }

  /** The port; 0 picks a free one. */
  public HubHttpOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http port " + port + " is outside 0-65535");
    }
    this.port = port;
    return this;
  }

  public String getBindAddress() {
    return bindAddress;
  }

  public HubHttpOptions setBindAddress(String bindAddress) {
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("bind address is empty");
    }
    this.bindAddress = bindAddress;
    return this;
  }

  /** The certificate the port serves https with; none set: plain http. */
  public ServerTlsOptions getTls() {
    return tls;
  }

  /**
   * Whether reading the inventory (sessions, cluster, events; {@code hub.sessions}, {@code hub.session}) is
   * allowed without the token. Jobs, commands and registration never are.
   */
  public boolean isOpenDiscovery() {
    return openDiscovery;
  }

  public HubHttpOptions setOpenDiscovery(boolean openDiscovery) {
    this.openDiscovery = openDiscovery;
    return this;
  }

  /** Whether {@code GET /metrics} answers without the token (counts only: no addresses, no job ids, no code). */
  public boolean isOpenMetrics() {
    return openMetrics;
  }

  public HubHttpOptions setOpenMetrics(boolean openMetrics) {
    this.openMetrics = openMetrics;
    return this;
  }

  /** The largest request body read (REST JSON, XML-RPC). */
  public int getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public HubHttpOptions setMaxBodyBytes(int maxBodyBytes) {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("max body bytes must be at least 1024, got " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /** See {@link #DEFAULT_REQUEST_READ_TIMEOUT}. */
  public Duration getRequestReadTimeout() {
    return requestReadTimeout;
  }

  public HubHttpOptions setRequestReadTimeout(Duration requestReadTimeout) {
    this.requestReadTimeout = HubOptions.positive(requestReadTimeout, "request read timeout");
    return this;
  }

  /** Requests per second each client (remote address) may make on average; 0 turns rate limiting off. */
  public double getRateLimit() {
    return rateLimit;
  }

  public HubHttpOptions setRateLimit(double rateLimit) {
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

  public HubHttpOptions setRateBurst(int rateBurst) {
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

  public HubHttpOptions setMaxStreamsPerClient(int maxStreamsPerClient) {
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

  public HubHttpOptions setMaxInFlightPerClient(int maxInFlightPerClient) {
    if (maxInFlightPerClient < 1) {
      throw new IllegalArgumentException("max in-flight requests per client must be >= 1, got "
          + maxInFlightPerClient);
    }
    this.maxInFlightPerClient = maxInFlightPerClient;
    return this;
  }
}
