package dev.sessionhub.agent.session;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.SessionHost;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The standalone headless session: a {@link Scene}, the {@link MainLoop} that evaluates it at a fixed frame rate,
 * and an {@link Agent} whose commands run on that loop. This is what {@code sessionhub session} runs.
 */
public final class HeadlessSession implements SessionHost, AutoCloseable {

  /** Default per-frame evaluation work: about 0.2 ms of arithmetic on this kind of machine. */
  public static final int DEFAULT_EVALUATION_WORK = 20_000;

  private final Scene scene = Scene.withDefaults();
  private final MainLoop loop;
  private final String app;
  private final Thread mainThread;
  private Vertx vertx;
  private Agent agent;

  public HeadlessSession(String app, int fps, int evaluationWork) {
    this.app = app == null || app.isBlank() ? "headless" : app;
    this.loop = new MainLoop(scene, fps, evaluationWork);
    this.mainThread = new Thread(loop, "sessionhub-main");
  }

  /** Starts the main loop and the agent; blocks until the agent listens (or fails to). */
  public Agent start(AgentOptions options, Path portFile) throws Exception {
    mainThread.start();
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(2).setWorkerPoolSize(2)
        .setInternalBlockingPoolSize(2));
    agent = Agent.start(vertx, options, this).await(30, TimeUnit.SECONDS);
    if (portFile != null) {
      writeAtomically(portFile, agent.port() + "\n");
    }
    return agent;
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".port", ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Blocks the calling thread until the session is closed (SIGTERM/SIGINT close it through a shutdown hook). */
  public void awaitShutdown() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close();
      done.countDown();
    }, "sessionhub-shutdown"));
    done.await();
  }

  @Override
  public synchronized void close() {
    try {
      if (agent != null) {
        agent.close().await(5, TimeUnit.SECONDS);
        agent = null;
      }
      if (vertx != null) {
        vertx.close().await(5, TimeUnit.SECONDS);
        vertx = null;
      }
    } catch (Exception e) {
      // Closing is best effort: the process is going away.
    } finally {
      loop.stop();
    }
  }

  public FrameStats frameStats() {
    return loop.stats();
  }

  @Override
  public String app() {
    return app;
  }

  @Override
  public String exe() {
    return "sessionhub-session";
  }

  @Override
  public String appVersion() {
    return dev.sessionhub.agent.impl.ServerDataSource.AGENT_VERSION;
  }

  @Override
  public List<String> objectNames() {
    return scene.publishedNames();
  }

  @Override
  public boolean headless() {
    return true;
  }

  @Override
  public Executor mainThread() {
    return loop;
  }

  @Override
  public Map<String, Object> pythonGlobals() {
    return Map.of("scene", scene);
  }

  @Override
  public Map<String, Object> statusExtras() {
    FrameStats.Snapshot s = loop.stats().snapshot();
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("frames", s.frames());
    extras.put("frame_p50_us", s.p50Nanos() / 1000);
    extras.put("frame_p99_us", s.p99Nanos() / 1000);
    extras.put("frame_max_us", s.maxNanos() / 1000);
    return extras;
  }
}
