package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.impl.AgentImpl;
import dev.sessionhub.agent.impl.python.PythonRuntime;
import dev.sessionhub.agent.impl.python.WarmingRuntime;
import dev.sessionhub.agent.session.HeadlessSession;
import dev.sessionhub.agent.sim.SimFarm;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.RawHttp;
import dev.sessionhub.agent.testing.TestHost;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session loads and warms its Python in the background once bound: the port, server_data and /status never
 * wait for it, a command that arrives first waits for the same warm-up (one runtime, ever), a command whose time
 * runs out meanwhile frees the main thread, and a warm-up that fails gives every command a clear fault.
 * Real agents on loopback ports chosen at run time; the warm-up is held by a latch, never timed by a sleep.
 */
class PythonWarmupTest {

  private static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();
  private static final Duration WARM_UP_DEADLINE = Duration.ofSeconds(90);

  private Vertx vertx;
  private TestHost host;
  private final List<Agent> agents = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    host = new TestHost("warmup");
  }

  @AfterEach
  void stop() throws Exception {
    for (Agent agent : agents) {
      agent.close().await(5, TimeUnit.SECONDS);
    }
    vertx.close().await(5, TimeUnit.SECONDS);
    host.close();
  }

  /** A runtime factory that counts its calls and holds the warm-up until the test lets it go. */
  private static final class HeldRuntime implements Supplier<PythonRuntime> {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public PythonRuntime get() {
      calls.incrementAndGet();
      entered.countDown();
      try {
        if (!release.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never released the warm-up");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return PythonRuntime.create();
    }
  }

  private Agent startAgent(Supplier<PythonRuntime> factory) throws Exception {
    AgentOptions options = new AgentOptions().setPort(FreePorts.one()).setPythonWarmup(true)
        .setCommandTimeout(Duration.ofSeconds(60)).validate();
    Agent agent = AgentImpl.start(vertx, options, host, Clock.systemUTC(), new WarmingRuntime(factory, 0))
        .await(30, TimeUnit.SECONDS);
    agents.add(agent);
    return agent;
  }

  private static XmlRpcResponse call(int port, String method, Object... params) throws Exception {
    return CODEC.decodeResponse(RawHttp.post(port, "/RPC2", CODEC.encodeCall(method, List.of(params))).body());
  }

  private static Object value(int port, String method, Object... params) throws Exception {
    XmlRpcResponse r = call(port, method, params);
    if (r.isFault()) {
      throw new AssertionError(method + " failed: " + r.fault().message());
    }
    return r.value();
  }

  private static JsonObject status(int port) {
    try {
      return new JsonObject(RawHttp.get(port, "/status").text());
    } catch (Exception e) {
      throw new AssertionError("GET /status failed", e);
    }
  }

  @Test
  void thePortServerDataAndStatusAnswerWhileTheWarmUpIsHeldAndAnEarlyCommandWaitsForIt() throws Exception {
    HeldRuntime runtime = new HeldRuntime();
    Agent agent = startAgent(runtime);
    int port = agent.port();
    assertTrue(runtime.entered.await(30, TimeUnit.SECONDS), "the warm-up began by itself, without a command");

    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) value(port, "server_data");
    assertEquals(port, data.get("port"), "server_data answers while the warm-up is held");
    JsonObject warming = status(port);
    assertEquals("warming", warming.getString("python"));
    assertEquals(Boolean.FALSE, warming.getBoolean("python_ready"));
    assertEquals(-1L, warming.getLong("python_ready_ms"));

    // A stock python3 xmlrpc.client sends the first command while the runtime is still being made.
    Process python = new ProcessBuilder("python3", "-c", String.join("\n",
        "import sys, xmlrpc.client",
        "proxy = xmlrpc.client.ServerProxy('http://127.0.0.1:%s/' % sys.argv[1], allow_none=True)",
        "sys.stdout.write(proxy.command('x = 41\\nprint(x + 1)'))"), String.valueOf(port))
        .redirectErrorStream(true).start();
    Poll.until(Duration.ofSeconds(30), "the command is on the main thread, waiting",
        () -> status(port).getInteger("queue_depth") == 1);
    assertTrue(python.isAlive(), "the command cannot finish before the runtime exists");
    assertEquals("warming", status(port).getString("python"));

    runtime.release.countDown();
    assertTrue(python.waitFor(90, TimeUnit.SECONDS), "the waiting command finished once the warm-up did");
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, python.exitValue(), out);
    assertEquals("42\n", out);
    assertEquals("41\n", value(port, "command", "print(x)"), "one namespace: the next command sees x");
    JsonObject ready = status(port);
    assertEquals("ready", ready.getString("python"));
    assertEquals(Boolean.TRUE, ready.getBoolean("python_ready"));
    assertTrue(ready.getLong("python_ready_ms") >= 0);
    assertEquals(1, runtime.calls.get(), "one runtime, made by the warm-up, never a second by the command");
  }

  @Test
  void manyCommandsArrivingDuringTheWarmUpAllWaitForTheSameOne() throws Exception {
    HeldRuntime runtime = new HeldRuntime();
    int port = startAgent(runtime).port();
    assertTrue(runtime.entered.await(30, TimeUnit.SECONDS));
    List<CompletableFuture<XmlRpcResponse>> early = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(5);
    try {
      sendFiveEarly(port, early, clients);
      Poll.until(Duration.ofSeconds(30), "all five queued", () -> status(port).getInteger("queue_depth") == 5);
      assertFalse(early.stream().anyMatch(CompletableFuture::isDone));

      runtime.release.countDown();
      for (int i = 0; i < 4; i++) {
        XmlRpcResponse r = early.get(i).get(90, TimeUnit.SECONDS);
        assertFalse(r.isFault(), () -> r.fault().message());
        assertEquals((i * 10) + "\n", r.value());
      }
      assertEquals(42, early.get(4).get(90, TimeUnit.SECONDS).value());
      assertEquals(1, runtime.calls.get());
    } finally {
      clients.shutdownNow();
    }
  }

  /** Four commands and an evaluate, each on a client thread of its own (each blocks until answered). */
  private static void sendFiveEarly(int port, List<CompletableFuture<XmlRpcResponse>> early,
      ExecutorService clients) {
    for (int i = 0; i < 4; i++) {
      String code = "print(" + i + " * 10)";
      early.add(CompletableFuture.supplyAsync(() -> {
        try {
          return call(port, "command", code);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, clients));
    }
    early.add(CompletableFuture.supplyAsync(() -> {
      try {
        return call(port, "evaluate", "6 * 7");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, clients));
  }

  @Test
  void aCommandWhoseTimeRunsOutDuringTheWarmUpIsAnsweredAndFreesTheMainThread() throws Exception {
    HeldRuntime runtime = new HeldRuntime();
    int port = startAgent(runtime).port();
    assertTrue(runtime.entered.await(30, TimeUnit.SECONDS));

    XmlRpcResponse late = call(port, "command", "print('never')", 0.3);
    assertTrue(late.isFault());
    assertEquals(FaultCode.COMMAND_TIMEOUT.code(), late.fault().code(), late.fault().message());
    CountDownLatch ran = new CountDownLatch(1);
    host.mainThread().execute(ran::countDown);
    assertTrue(ran.await(30, TimeUnit.SECONDS), "the main thread stopped waiting when the command's time ran out");
    Poll.until(Duration.ofSeconds(30), "nothing left queued", () -> status(port).getInteger("queue_depth") == 0);

    runtime.release.countDown();
    assertEquals("ok\n", value(port, "command", "print('ok')"));
    assertEquals(1, runtime.calls.get());
  }

  @Test
  void aWarmUpThatFailsGivesEveryCommandTheSameClearFaultAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // A broken start-up, as a site hook importing a module that is not there would be.
    int port = startAgent(() -> {
      calls.incrementAndGet();
      PythonRuntime runtime = PythonRuntime.create();
      runtime.newNamespace(Map.of()).run("import sessionhub_missing_site_hook");
      return runtime;
    }).port();
    Poll.until(WARM_UP_DEADLINE, "the warm-up fails", () -> "failed".equals(status(port).getString("python")));
    assertEquals(Boolean.FALSE, status(port).getBoolean("python_ready"));

    // The command limit is 60 s and RawHttp gives up after 20 s: an answer at all means no waiting.
    for (String method : List.of("command", "command", "evaluate")) {
      XmlRpcResponse r = call(port, method, "1");
      assertTrue(r.isFault(), method);
      assertEquals(FaultCode.INTERNAL_ERROR.code(), r.fault().code());
      assertTrue(r.fault().message().startsWith("the session's Python runtime failed to start: ImportError: "),
          r.fault().message());
      assertTrue(r.fault().message().contains("sessionhub_missing_site_hook"), r.fault().message());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) value(port, "server_data");
    assertEquals(port, data.get("port"), "the agent itself is unharmed");
    assertEquals(1, calls.get(), "a failed warm-up is not retried by every command");
  }

  @Test
  void aHeadlessSessionWarmsUpWithoutACommandAndOnlyOnce() throws Exception {
    int before = PythonRuntime.createdInThisJvm();
    HeadlessSession session = new HeadlessSession("headless", 60, 1000);
    try {
      int port = session.start(new AgentOptions().setPort(FreePorts.one()).setPythonWarmup(true), null).port();
      Poll.until(WARM_UP_DEADLINE, "python_ready", () -> status(port).getBoolean("python_ready"));
      assertEquals(0, status(port).getInteger("commands"), "no command was needed");
      assertEquals("Camera,Light,Cube\n", value(port, "command", "print(','.join(scene.objects()))"));
      assertEquals(before + 1, PythonRuntime.createdInThisJvm());
    } finally {
      session.close();
    }
  }

  @Test
  void withoutWarmUpTheFirstCommandLoadsPythonAsBefore() throws Exception {
    AgentOptions options = new AgentOptions().setPort(FreePorts.one()).setPythonWarmup(false);
    Agent agent = Agent.start(vertx, options, host).await(30, TimeUnit.SECONDS);
    agents.add(agent);
    assertEquals("cold", status(agent.port()).getString("python"));
    assertEquals("1\n", value(agent.port(), "command", "print(1)"));
    assertEquals("ready", status(agent.port()).getString("python"));
  }

  @Test
  void simAgentsShareOneWarmUp() throws Exception {
    int before = PythonRuntime.createdInThisJvm();
    int base = FreePorts.range(12);
    SimFarm farm = SimFarm.start(vertx, 5, new AgentOptions().setBasePort(base).setMaxPort(base + 11)
        .setPythonWarmup(true), 2);
    try {
      Poll.until(WARM_UP_DEADLINE, "the shared runtime is being made",
          () -> PythonRuntime.createdInThisJvm() == before + 1);
      for (Agent agent : farm.agents()) {
        assertEquals(agent.port() + "\n", value(agent.port(), "command", "print(" + agent.port() + ")"));
      }
      assertEquals(before + 1, PythonRuntime.createdInThisJvm(), "one runtime for the whole farm");
    } finally {
      farm.close();
    }
  }
}
