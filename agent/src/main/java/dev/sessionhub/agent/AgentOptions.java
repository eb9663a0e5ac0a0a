package dev.sessionhub.agent;

import dev.sessionhub.shared.tls.ServerTlsOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link Agent} binds, authenticates and bounds its work.
 *
 * <p>Defaults follow the wire contract: the first free port from 8000 to 8099 on loopback, no token, 1 MiB
 * request bodies, plain http. Setters validate and return {@code this}; the copy and JSON constructors let a
 * program build options from flags, environment or a file and hand a private copy to each agent.
 *
 * <p>TLS is optional: with a PEM certificate chain and its PEM private key ({@link #setTlsCertPath(String)},
 * {@link #setTlsKeyPath(String)}) the agent serves https only. An {@code https://} hub URL is verified against
 * {@link #setHubCaPath(String)} (a PEM CA bundle) or, without one, the JDK's trusted CAs; host names are always
 * checked.
 */
public final class AgentOptions {

  public static final int DEFAULT_BASE_PORT = 8000;
  public static final int DEFAULT_MAX_PORT = 8099;
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_XML_DEPTH = 32;
  public static final int DEFAULT_COMMAND_QUEUE_LENGTH = 64;
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
  /**
   * How long a client may take to send a request's headers (counted from connecting, or from its previous
   * response) and then, separately, its body.
   */
  public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

  private int basePort = DEFAULT_BASE_PORT;
  private int maxPort = DEFAULT_MAX_PORT;
  private String bindAddress = DEFAULT_BIND_ADDRESS;
  private String token;
  private String hubUrl;
  private String name;
  private Map<String, String> tags = new LinkedHashMap<>();
  private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int maxXmlDepth = DEFAULT_MAX_XML_DEPTH;
  private int commandQueueLength = DEFAULT_COMMAND_QUEUE_LENGTH;
  private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
  private Duration requestReadTimeout = DEFAULT_REQUEST_READ_TIMEOUT;
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private boolean openDiscovery;
  private boolean pythonWarmup;
  private boolean openMetrics;
  private final ServerTlsOptions tls = new ServerTlsOptions();
  private String hubCaPath;

  public AgentOptions() {
  }

  public AgentOptions(AgentOptions other) {
    this.basePort = other.basePort;
    this.maxPort = other.maxPort;
    this.bindAddress = other.bindAddress;
    this.token = other.token;
    this.hubUrl = other.hubUrl;
    this.name = other.name;
    this.tags = new LinkedHashMap<>(other.tags);
    this.maxBodyBytes = other.maxBodyBytes;
    this.maxXmlDepth = other.maxXmlDepth;
    this.commandQueueLength = other.commandQueueLength;
    this.commandTimeout = other.commandTimeout;
    this.requestReadTimeout = other.requestReadTimeout;
    this.heartbeatInterval = other.heartbeatInterval;
    this.openDiscovery = other.openDiscovery;
    this.pythonWarmup = other.pythonWarmup;
    this.openMetrics = other.openMetrics;
    this.tls.setCertPath(other.tls.getCertPath()).setKeyPath(other.tls.getKeyPath());
    this.hubCaPath = other.hubCaPath;
  }

  /** Reads the keys {@link #toJson()} writes; absent keys keep their defaults. */
  public AgentOptions(JsonObject json) {
    this();
    setBasePort(json.getInteger("basePort", basePort));
    setMaxPort(json.getInteger("maxPort", maxPort));
    setBindAddress(json.getString("bindAddress", bindAddress));
    setToken(json.getString("token"));
    setOpenDiscovery(json.getBoolean("openDiscovery", false));
    setPythonWarmup(json.getBoolean("pythonWarmup", false));
    setOpenMetrics(json.getBoolean("openMetrics", false));
    setHubUrl(json.getString("hubUrl"));
    setName(json.getString("name"));
    JsonObject t = json.getJsonObject("tags");
    if (t != null) {
      t.forEach(e -> addTag(e.getKey(), String.valueOf(e.getValue())));
    }
    setMaxBodyBytes(json.getInteger("maxBodyBytes", maxBodyBytes));
    setMaxXmlDepth(json.getInteger("maxXmlDepth", maxXmlDepth));
    setCommandQueueLength(json.getInteger("commandQueueLength", commandQueueLength));
    setCommandTimeout(Duration.ofMillis(json.getLong("commandTimeoutMs", commandTimeout.toMillis())));
    setRequestReadTimeout(Duration.ofMillis(json.getLong("requestReadTimeoutMs", requestReadTimeout.toMillis())));
    setHeartbeatInterval(Duration.ofMillis(json.getLong("heartbeatIntervalMs", heartbeatInterval.toMillis())));
    setTlsCertPath(json.getString("tlsCertPath"));
    setTlsKeyPath(json.getString("tlsKeyPath"));
    setHubCaPath(json.getString("hubCaPath"));
  }

  /** The options as JSON. The token is never written: it must not end up in logs or status output. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("basePort", basePort)
        .put("maxPort", maxPort)
        .put("bindAddress", bindAddress)
        .put("hubUrl", hubUrl)
        .put("name", name)
        .put("tags", new JsonObject(new LinkedHashMap<>(tags)))
        .put("maxBodyBytes", maxBodyBytes)
        .put("maxXmlDepth", maxXmlDepth)
        .put("commandQueueLength", commandQueueLength)
        .put("commandTimeoutMs", commandTimeout.toMillis())
        .put("requestReadTimeoutMs", requestReadTimeout.toMillis())
        .put("heartbeatIntervalMs", heartbeatInterval.toMillis())
        .put("tlsCertPath", tls.getCertPath())
        .put("tlsKeyPath", tls.getKeyPath())
        .put("hubCaPath", hubCaPath);
    json.put("tokenSet", token != null);
    json.put("openDiscovery", openDiscovery);
    json.put("pythonWarmup", pythonWarmup);
    json.put("openMetrics", openMetrics);
    return json;
  }

  /**
   * Checks what single setters cannot: the port range, the token rule for non-loopback binds, and that TLS has
   * both a certificate and a key (whose files must be readable; their contents are checked when the agent starts).
   */
  public AgentOptions validate() {
    tls.validate();
    ServerTlsOptions.readable(hubCaPath, "hub CA bundle");
    if (maxPort < basePort) {
      throw new IllegalArgumentException("max port " + maxPort + " is below base port " + basePort);
    }
    if (!isLoopback(bindAddress) && token == null) {
      throw new IllegalArgumentException("binding " + bindAddress
          + " exposes the session beyond this machine: set a token (--token, SESSIONHUB_TOKEN or a token file)");
    }
    return this;
  }

  /** True for addresses only this machine can reach. */
  public static boolean isLoopback(String address) {
    return address.equals("localhost") || address.startsWith("127.") || address.equals("::1")
        || address.equals("[::1]");
  }

  public int getBasePort() {
    return basePort;
  }

  public AgentOptions setBasePort(int basePort) {
    this.basePort = checkPort(basePort, "base port");
    return this;
  }

  public int getMaxPort() {
    return maxPort;
  }

  public AgentOptions setMaxPort(int maxPort) {
    this.maxPort = checkPort(maxPort, "max port");
    return this;
  }

  /** Binds exactly {@code port}: base and max both set to it ({@code 0} asks the OS for any free port). */
  public AgentOptions setPort(int port) {
    this.basePort = port == 0 ? 0 : checkPort(port, "port");
    this.maxPort = this.basePort;
    return this;
  }

  public String getBindAddress() {
    return bindAddress;
  }

  public AgentOptions setBindAddress(String bindAddress) {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (bindAddress.isBlank()) {
      throw new IllegalArgumentException("bind address is empty");
    }
    this.bindAddress = bindAddress;
    return this;
  }

  /**
   * Whether {@code server_data} may be called without the token, so inventory tools can discover this session;
   * {@code command}, {@code evaluate}, {@code scene_objects} and {@code system.multicall} never can.
   */
  public boolean isOpenDiscovery() {
    return openDiscovery;
  }

  public AgentOptions setOpenDiscovery(boolean openDiscovery) {
    this.openDiscovery = openDiscovery;
    return this;
  }

  /**
   * Whether the agent loads and warms its Python runtime on a background thread as soon as it has bound, so its
   * first command runs as fast as later ones (off: the first command loads it, as an embedding application that
   * starts many agents and rarely sends them commands may prefer). Never delays the port or {@code server_data}.
   */
  public boolean isPythonWarmup() {
    return pythonWarmup;
  }

  public AgentOptions setPythonWarmup(boolean pythonWarmup) {
    this.pythonWarmup = pythonWarmup;
    return this;
  }

  /** Whether {@code GET /metrics} answers without the token (it reveals counts only, never code or addresses). */
  public boolean isOpenMetrics() {
    return openMetrics;
  }

  public AgentOptions setOpenMetrics(boolean openMetrics) {
    this.openMetrics = openMetrics;
    return this;
  }

  public String getToken() {
    return token;
  }

  public AgentOptions setToken(String token) {
    this.token = token == null || token.isEmpty() ? null : token;
    return this;
  }

  public String getHubUrl() {
    return hubUrl;
  }

  public AgentOptions setHubUrl(String hubUrl) {
    this.hubUrl = hubUrl == null || hubUrl.isBlank() ? null : hubUrl;
    return this;
  }

  public String getName() {
    return name;
  }

  public AgentOptions setName(String name) {
    this.name = name == null || name.isBlank() ? null : name;
    return this;
  }

  public Map<String, String> getTags() {
    return Map.copyOf(tags);
  }

  public AgentOptions addTag(String key, String value) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("tag key is empty");
    }
    tags.put(key, value == null ? "" : value);
    return this;
  }

  public int getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public AgentOptions setMaxBodyBytes(int maxBodyBytes) {
    this.maxBodyBytes = positive(maxBodyBytes, "max body bytes");
    return this;
  }

  public int getMaxXmlDepth() {
    return maxXmlDepth;
  }

  public AgentOptions setMaxXmlDepth(int maxXmlDepth) {
    this.maxXmlDepth = positive(maxXmlDepth, "max XML depth");
    return this;
  }

  public int getCommandQueueLength() {
    return commandQueueLength;
  }

  public AgentOptions setCommandQueueLength(int commandQueueLength) {
    this.commandQueueLength = positive(commandQueueLength, "command queue length");
    return this;
  }

  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  public AgentOptions setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = positive(commandTimeout, "command timeout");
    return this;
  }

  public Duration getRequestReadTimeout() {
    return requestReadTimeout;
  }

  public AgentOptions setRequestReadTimeout(Duration requestReadTimeout) {
    this.requestReadTimeout = positive(requestReadTimeout, "request read timeout");
    return this;
  }

  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public AgentOptions setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = positive(heartbeatInterval, "heartbeat interval");
    return this;
  }

  /** True when the agent serves https (a certificate and key are set). */
  public boolean isTls() {
    return tls.isEnabled();
  }

  /** The certificate https is served with (see {@link ServerTlsOptions}). */
  public ServerTlsOptions getTls() {
    return tls;
  }

  public String getTlsCertPath() {
    return tls.getCertPath();
  }

  /** The PEM certificate chain (server certificate first) served over TLS; {@code null} for plain http. */
  public AgentOptions setTlsCertPath(String tlsCertPath) {
    tls.setCertPath(tlsCertPath);
    return this;
  }

  public String getTlsKeyPath() {
    return tls.getKeyPath();
  }

  /** The PEM private key (PKCS#8, or PKCS#1 RSA) of the TLS certificate. */
  public AgentOptions setTlsKeyPath(String tlsKeyPath) {
    tls.setKeyPath(tlsKeyPath);
    return this;
  }

  public String getHubCaPath() {
    return hubCaPath;
  }

  /** A PEM CA bundle that an {@code https://} hub's certificate must chain to; {@code null}: the JDK's CAs. */
  public AgentOptions setHubCaPath(String hubCaPath) {
    this.hubCaPath = blankToNull(hubCaPath);
    return this;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static int checkPort(int port, String what) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " " + port + " is outside 1-65535");
    }
    return port;
  }

  private static int positive(int value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }

  private static Duration positive(Duration value, String what) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }
}
