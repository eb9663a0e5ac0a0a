package dev.sessionhub.agent.impl;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.SessionHost;
import dev.sessionhub.agent.impl.command.CommandQueue;
import dev.sessionhub.agent.impl.command.OutputFollowing;
import dev.sessionhub.agent.impl.http.AgentHttpHandler;
import dev.sessionhub.agent.impl.http.AgentStats;
import dev.sessionhub.agent.impl.http.BodyReader;
import dev.sessionhub.agent.impl.http.HeaderDeadline;
import dev.sessionhub.agent.impl.metrics.AgentHealth;
import dev.sessionhub.agent.impl.metrics.AgentMetrics;
import dev.sessionhub.shared.auth.TokenAuth;
import dev.sessionhub.agent.impl.python.PythonError;
import dev.sessionhub.agent.impl.python.PythonUnavailable;
import dev.sessionhub.agent.impl.python.SessionPython;
import dev.sessionhub.agent.impl.python.WarmingRuntime;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.xmlrpc.CodecLimits;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The composition root of one agent: builds the codec, dispatcher, command queue and HTTP edge from the options,
 * binds the first free port and reports what it serves.
 */
public final class AgentImpl implements Agent {

  private final AgentOptions options;
  private final HttpServer server;
  private final PortBinder binder;
  private final ServerDataSource serverData;
  private final ProcessFacts facts;
  private HubLink hubLink;
  private Runnable warmUp;
  private final AtomicBoolean warmUpStarted = new AtomicBoolean();
  private volatile boolean closed;

  private AgentImpl(AgentOptions options, HttpServer server, PortBinder binder, ServerDataSource serverData,
      ProcessFacts facts) {
    this.options = options;
    this.server = server;
    this.binder = binder;
    this.serverData = serverData;
    this.facts = facts;
  }

  public static Future<Agent> start(Vertx vertx, AgentOptions options, SessionHost host, Clock clock) {
    return start(vertx, options, host, clock, WarmingRuntime.create());
  }

  /**
   * Starts an agent whose Python namespace comes from {@code runtime}. A JVM hosting many sessions passes one
   * shared runtime. With {@link AgentOptions#isPythonWarmup()} the namespace is made on a background thread once
   * the port is bound; otherwise by the first command, on the session's main thread.
   */
  public static Future<Agent> start(Vertx vertx, AgentOptions options, SessionHost host, Clock clock,
      WarmingRuntime runtime) {
    AgentHealth health = new AgentHealth();
    return vertx.executeBlocking(() -> {
      ServerTls.check(vertx, options);
      health.checkRuntime();
      return ProcessFacts.collect(clock);
    }, false).compose(facts -> {
      ServerDataSource serverData = new ServerDataSource(host, facts, options);
      AgentStats stats = new AgentStats();
      AgentMetrics metrics = new AgentMetrics();
      CommandQueue commands = new CommandQueue(vertx, host.mainThread(), options.getCommandQueueLength(),
          options.getCommandTimeout(), AgentImpl::toFault, metrics);
      metrics.readFrom(commands::depth, host::statusExtras);
      SessionPython python = new SessionPython(runtime, host.pythonGlobals(), options.getHubUrl() == null ? null
          : HubProxy.setupCode(options.getHubUrl(), options.getToken(), options.getHubCaPath()));
      health.pythonFrom(() -> python.state() == SessionPython.State.FAILED
          ? "the Python runtime failed to start" : null);
      RpcDispatcher dispatcher = new RpcDispatcher();
      AgentMethods.registerAll(dispatcher, serverData, commands, python, new OutputFollowing(vertx, commands));
      XmlRpcCodec codec = new XmlRpcCodec(new CodecLimits(options.getMaxXmlDepth(), options.getMaxBodyBytes()));
      long startNanos = System.nanoTime();
      AtomicReference<String> url = new AtomicReference<>("");
      Supplier<Map<String, Object>> counters = () -> {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("url", url.get());
        c.put("uptime_s", Duration.ofNanos(System.nanoTime() - startNanos).toSeconds());
        c.put("requests", stats.requests());
        c.put("calls", stats.calls());
        c.put("faults", stats.faults());
        c.put("refused", stats.refused());
        c.put("commands", commands.completed());
        c.put("queue_depth", commands.depth());
        c.put("python", python.state().name().toLowerCase(java.util.Locale.ROOT));
        c.put("python_ready", python.state() == SessionPython.State.READY);
        c.put("python_ready_ms", python.readyAfterMillis());
        c.putAll(host.statusExtras());
        return c;
      };
      AgentHttpHandler handler = new AgentHttpHandler(new TokenAuth(options.getToken()), options.isOpenDiscovery(),
          new BodyReader(vertx, options.getMaxBodyBytes(), options.getRequestReadTimeout()), codec, dispatcher,
          stats, () -> serverData.current().toStruct(), counters, metrics, health, options.isOpenMetrics());
      // HTTP/1.x only (the wire contract): with cleartext HTTP/2 on, Vert.x holds a connection back until its
      // first request's headers are complete, out of reach of the header deadline.
      HttpServerOptions serverOptions = ServerTls.apply(options, new HttpServerOptions()
          .setHttp2ClearTextEnabled(false)
          .setIdleTimeout(120)
          .setCompressionSupported(false)
          .setDecompressionSupported(false)
          .setMaxHeaderSize(16 * 1024));
      HeaderDeadline headers = new HeaderDeadline(vertx, options.getRequestReadTimeout());
      PortBinder binder = new PortBinder(vertx, serverOptions, headers.guard(handler), headers::connected,
          options.getBindAddress());
      return binder.bindFirstFree(options.getBasePort(), options.getMaxPort()).map(server -> {
        serverData.boundTo(server.actualPort());
        health.bound();
        AgentImpl agent = new AgentImpl(options, server, binder, serverData, facts);
        url.set(agent.url());
        agent.warmUp = () -> AgentWarmup.start(codec, serverData, python);
        if (options.isPythonWarmup()) {
          agent.startWarmUp();
        }
        if (options.getHubUrl() != null) {
          agent.hubLink = new HubLink(vertx, options.getHubUrl(), options.getToken(), options.getHubCaPath(),
              () -> serverData.current().toStruct(), agent.announcedUrl(), options.getHeartbeatInterval());
          agent.hubLink.start();
        }
        return (Agent) agent;
      });
    });
  }

  private static Throwable toFault(Throwable t) {
    if (t instanceof XmlRpcFaultException) {
      return t;
    }
    if (t instanceof PythonUnavailable e) {
      return new XmlRpcFaultException(e.timedOut() ? FaultCode.COMMAND_TIMEOUT : FaultCode.INTERNAL_ERROR,
          e.getMessage());
    }
    if (t instanceof PythonError e) {
      return new XmlRpcFaultException(e.aborted() ? FaultCode.COMMAND_TIMEOUT : FaultCode.APPLICATION_ERROR,
          e.faultString());
    }
    return new XmlRpcFaultException(FaultCode.INTERNAL_ERROR,
        "internal error: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  /**
   * Starts this agent's warm-up ({@link AgentWarmup}) now, whatever its options say; a simulator warms one of its
   * agents this way once all have bound, and the rest share that agent's runtime and JIT. Once per agent.
   */
  public void startWarmUp() {
    if (warmUpStarted.compareAndSet(false, true)) {
      warmUp.run();
    }
  }

  @Override
  public int port() {
    return server.actualPort();
  }

  @Override
  public String url() {
    String host = options.getBindAddress();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return scheme() + host + ":" + port() + "/";
  }

  private String scheme() {
    return options.isTls() ? "https://" : "http://";
  }

  /** The URL a hub should use: the bind address, or this host's name when bound to every interface. */
  private String announcedUrl() {
    String host = options.getBindAddress();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = facts.hostname();
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return scheme() + host + ":" + port() + "/";
  }

  @Override
  public String sessionId() {
    return facts.sessionId();
  }

  @Override
  public SessionInfo serverData() {
    return serverData.current();
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    Future<Void> goodbye = hubLink == null ? Future.succeededFuture() : hubLink.close();
    return goodbye.transform(ar -> binder.close(server, options.getBasePort()));
  }
}
