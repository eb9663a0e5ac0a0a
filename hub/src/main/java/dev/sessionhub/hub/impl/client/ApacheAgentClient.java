package dev.sessionhub.hub.impl.client;

import dev.sessionhub.hub.impl.client.AgentCallException.Kind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.MalformedURLException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.io.CloseMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The hub's {@link AgentClient}: the Apache XML-RPC client, hardened (see {@link HardenedTransport}), run on a
 * bounded pool of worker threads and answered on the caller's Vert.x context.
 *
 * <p>Why Apache's client and a thread pool rather than an asynchronous HTTP client: it is the XML-RPC client the
 * existing agents (Python's {@code SimpleXMLRPCServer}, the Blender add-on) are known to work with, including
 * their HTTP/1.0 quirks. Each call gets a {@link Deadline}: a Vert.x timer fails the caller's future at the
 * deadline even if the worker is still blocked, and the worker itself gives up by then (socket timeouts taken
 * from the deadline, the timer cutting a connection stuck before the response body, a deadline-checking
 * response stream), so a hostile or dead agent cannot hold a worker for long. A call still queued at its
 * deadline is dropped unsent.
 *
 * <pre>{@code
 * AgentClient agents = new ApacheAgentClient(vertx, new AgentClientOptions().setToken(token));
 * agents.serverData("http://127.0.0.1:8000/").onSuccess(data -> System.out.println(data.get("exe")));
 * }</pre>
 */
public final class ApacheAgentClient implements AgentClient {

  /** The name prefix of the worker threads. */
  public static final String POOL_NAME = "sessionhub-agent-calls";


  private final Vertx vertx;
  private final AgentClientOptions options;
  private final XmlRpcInvoker invoker;
  private final CallPool pool;
  private final CloseableHttpClient http;

  public ApacheAgentClient(Vertx vertx, AgentClientOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = new AgentClientOptions(Objects.requireNonNull(options, "options"));
    TransportSettings settings = TransportSettings.of(this.options);
    int poolSize = this.options.getPoolSize();
    this.http = AgentHttpClients.create(settings, poolSize, this.options.getMaxIdleConnections(),
        this.options.getKeepAlive().toMillis());
    this.invoker = new XmlRpcInvoker(settings, http);
    // The HTTP client (its connections) is closed once the last running call has ended, by its deadline at most.
    this.pool = new CallPool(POOL_NAME, poolSize, this.options.getMaxQueued(), () -> http.close(CloseMode.GRACEFUL));
  }

  @Override
  public Future<Object> call(String url, String method, List<Object> params, Duration timeout, SendGate gate) {
    Context context = vertx.getOrCreateContext();
    PendingCall pending = new PendingCall(vertx, context);
    CallConfig config;
    List<Object> wireParams;
    try {
      checkTimeout(timeout);
      if (method == null || method.isEmpty()) {
        throw new AgentCallException(Kind.PROTOCOL, "no method name");
      }
      Duration connect = HardenedTransport.READ_ONLY_METHOD.equals(method) ? options.getConnectTimeout()
          : options.getCommandConnectTimeout();
      config = new CallConfig(agentUrl(url), Deadline.after(timeout), connect.toMillis());
      wireParams = WireValues.params(params);
    } catch (AgentCallException e) {
      pending.fail(e);
      return pending.future();
    }
    pending.expireAfter(timeout.toMillis(), () -> new AgentCallException(Kind.TIMEOUT, pending.wasSent()
        ? "no answer from " + config.getServerURL() + " within " + timeout.toMillis() + " ms"
        : "not sent to " + config.getServerURL() + ": its " + timeout.toMillis() + " ms ran out while it waited "
            + "for one of the " + options.getPoolSize() + " agent-call workers (all busy; hub --agent-calls sets "
            + "how many)"), config.abort()::abort);
    if (!pool.offer(new CallTask(pending, invoker, config, method, wireParams, gate))) {
      pending.fail(new AgentCallException(Kind.OVERLOADED, pool.isShutdown() ? "agent client is closed"
          : options.getMaxQueued() + " agent calls are already waiting for one of " + options.getPoolSize()
          + " workers"));
    }
    return pending.future();
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

  /** Agent-call workers running a call now. */
  public int busyWorkers() {
    return pool.busy();
  }

  /** Agent calls waiting for a worker now. */
  public int queuedCalls() {
    return pool.queued();
  }

  @Override
  public void close() {
    for (Runnable never : pool.shutdown()) {
      if (never instanceof CallTask task) {
        task.pending().fail(new AgentCallException(Kind.OVERLOADED, "agent client is closed"));
      }
    }
  }

  private static void checkTimeout(Duration timeout) {
    if (timeout == null || timeout.toMillis() <= 0 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new AgentCallException(Kind.PROTOCOL, "timeout must be between 1 ms and 24 days, got " + timeout);
    }
  }

  /** Only {@code http}/{@code https} URLs with a host; credentials belong in the options' token, not the URL. */
  private static URL agentUrl(String url) {
    try {
      URI uri = new URI(Objects.requireNonNull(url, "url"));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new AgentCallException(Kind.PROTOCOL, "agent URL must be http or https: " + url);
      }
      if (uri.getHost() == null) {
        throw new AgentCallException(Kind.PROTOCOL, "agent URL has no host: " + url);
      }
      if (uri.getRawUserInfo() != null) {
        throw new AgentCallException(Kind.PROTOCOL, "agent URL must not carry credentials; set the token option");
      }
      return uri.toURL();
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException
        | NullPointerException e) {
      throw new AgentCallException(Kind.PROTOCOL, "bad agent URL: " + url, e);
    }
  }
}
