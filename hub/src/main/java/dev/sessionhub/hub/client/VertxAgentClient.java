package dev.sessionhub.hub.client;

import dev.sessionhub.hub.client.AgentCallException.Kind;
import dev.sessionhub.shared.tls.TrustedCas;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;

/**
 * The hub's {@link AgentClient}: the Apache XML-RPC library as the XML-RPC layer ({@link XmlRpcMessages}, with
 * its hardening) over Vert.x's asynchronous HTTP client, no thread per call.
 *
 * <p>What Vert.x's client does for us: connection pooling and keep-alive (idle connections closed after the
 * options' keep-alive), HTTP/1.1 and HTTP/1.0 framing (Content-Length, chunked, read-until-close), a cap on the
 * answer's head ({@value #MAX_HEAD_BYTES} bytes), verified TLS. What stays ours ({@link AgentCall}): the
 * call's deadline, the body cap, the no-resend rule, the send gate, and {@link CallSlots}: at most {@code
 * poolSize} calls in flight across all agents (so at most that many connections per agent), at most {@code
 * maxQueued} waiting, in arrival order.
 *
 * <pre>{@code
 * AgentClient agents = new VertxAgentClient(vertx, new AgentClientOptions().setToken(token));
 * agents.serverData("http://127.0.0.1:8000/").onSuccess(data -> System.out.println(data.get("exe")));
 * }</pre>
 */
public final class VertxAgentClient implements AgentClient {

  /** The most bytes of status line and headers an agent may answer with. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final AgentClientOptions options;
  private final HttpClient client;
  private final AgentHttp http;

  /** Throws {@link IllegalArgumentException} when the options' CA bundle cannot be read. */
  public VertxAgentClient(Vertx vertx, AgentClientOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = new AgentClientOptions(Objects.requireNonNull(options, "options"));
    Path ca = this.options.getCaPath() == null ? null : Path.of(this.options.getCaPath());
    HttpClientOptions httpOptions = new HttpClientOptions()
        .setConnectTimeout((int) this.options.getConnectTimeout().toMillis())
        .setKeepAlive(this.options.getMaxIdleConnections() > 0)
        .setKeepAliveTimeout((int) Math.max(1, this.options.getKeepAlive().toSeconds()))
        .setMaxHeaderSize(MAX_HEAD_BYTES).setMaxInitialLineLength(MAX_HEAD_BYTES)
        .setDecompressionSupported(false).setTcpNoDelay(true)
        .setVerifyHost(true).setTrustAll(false).setTrustOptions(trust(ca));
    this.client = vertx.createHttpClient(httpOptions,
        new PoolOptions().setHttp1MaxSize(this.options.getPoolSize()));
    String authorization = this.options.getToken() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (AgentClientOptions.BASIC_AUTH_USER + ":" + this.options.getToken()).getBytes(StandardCharsets.UTF_8));
    this.http = new AgentHttp(vertx, client, this.options.getUserAgent(), authorization,
        this.options.getMaxResponseBytes(), this.options.getPoolSize(), new XmlRpcMessages(),
        new FailureMapper(TrustedCas.describe(ca), this.options.getConnectTimeout().toMillis()),
        new CallSlots(this.options.getPoolSize(), this.options.getMaxQueued(), client::close),
        AgentHttp.newConnectionSet());
  }

  @Override
  public Future<Object> call(String url, String method, List<Object> params, Duration timeout, SendGate gate) {
    Context context = vertx.getOrCreateContext();
    AgentCall call;
    try {
      if (timeout == null || timeout.toMillis() <= 0 || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new AgentCallException(Kind.PROTOCOL, "timeout must be between 1 ms and 24 days, got " + timeout);
      }
      if (method == null || method.isEmpty()) {
        throw new AgentCallException(Kind.PROTOCOL, "no method name");
      }
      AgentTarget target = AgentTarget.parse(url);
      byte[] body = http.messages().request(method, WireValues.params(params));
      call = new AgentCall(http, context, target, method, body, timeout.toMillis(), Objects.requireNonNull(gate));
    } catch (AgentCallException e) {
      return AgentCall.refused(context, e);
    }
    return call.start();
  }

  @Override
  public Future<Map<String, Object>> serverData(String url) {
    return call(url, "server_data", List.of(), options.getPollTimeout()).compose(result -> {
      if (!(result instanceof Map<?, ?> struct)) {
        return Future.failedFuture(new AgentCallException(Kind.PROTOCOL, "server_data() of " + url + " answered "
            + (result == null ? "nil" : result.getClass().getSimpleName()) + ", not a struct"));
      }
      Map<String, Object> data = new LinkedHashMap<>();
      struct.forEach((k, v) -> data.put(String.valueOf(k), v));
      return Future.succeededFuture(data);
    });
  }

  /** Agent calls in flight now (at most the options' pool size). */
  public int callsInFlight() {
    return http.slots().inFlight();
  }

  /** Agent calls waiting for a slot now. */
  public int queuedCalls() {
    return http.slots().queued();
  }

  /** Fails waiting calls and refuses new ones; calls in flight end by their deadlines, then connections close. */
  @Override
  public void close() {
    http.slots().close();
  }

  /** The CA bundle's trust, or the JDK's; a bundle that holds no certificate fails here, not at the first call. */
  private static TrustOptions trust(Path ca) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(ca == null ? null : TrustedCas.keyStore(ca));
      return TrustOptions.wrap(factory);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(TrustedCas.describe(ca) + ": " + e.getMessage(), e);
    }
  }
}
