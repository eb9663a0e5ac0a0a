package dev.sessionhub.agent.sim;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.impl.AgentImpl;
import dev.sessionhub.agent.impl.python.WarmingRuntime;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sessionhub sim}: many lightweight agents in one JVM for scale tests and benchmarks. They share one
 * Vert.x, one Jython system state and a small pool of command threads; each still binds its own port, answers
 * the full wire contract and runs its commands in order. With the template's Python warm-up on, the first agent
 * warms up once every agent has bound, on a background thread: the shared runtime, its own namespace and the
 * XML-RPC codec's code, which all agents share (every other agent's namespace, a few kilobytes, is still made by
 * its first command); off, the first command anywhere makes the runtime.
 */
public final class SimFarm implements AutoCloseable {

  private final Vertx vertx;
  private final ExecutorService pool;
  private final List<Agent> agents;

  private SimFarm(Vertx vertx, ExecutorService pool, List<Agent> agents) {
    this.vertx = vertx;
    this.pool = pool;
    this.agents = agents;
  }

  /**
   * Starts {@code count} agents binding ports from {@code template}'s base port upward (each takes the first free
   * one, so the range must be at least {@code count} wide) with the template's other options.
   */
  public static SimFarm start(Vertx vertx, int count, AgentOptions template, int commandThreads) throws Exception {
    return start(vertx, count, template, commandThreads, 1);
  }

  /**
   * The same, with the agents dealt round-robin over {@code eventLoops} event loops, as separate processes would
   * be spread over the machine's cores (agents started from one plain thread would all share one event loop).
   */
  public static SimFarm start(Vertx vertx, int count, AgentOptions template, int commandThreads, int eventLoops)
      throws Exception {
    List<Context> loops = EventLoopContexts.spread(vertx, eventLoops);
    AtomicInteger threadIds = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(commandThreads, r -> {
      Thread t = new Thread(r, "sim-command-" + threadIds.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    WarmingRuntime runtime = WarmingRuntime.create();
    List<Agent> agents = new ArrayList<>(count);
    int batch = 50;
    for (int start = 0; start < count; start += batch) {
      List<Future<Agent>> starting = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + batch); i++) {
        AgentOptions options = new AgentOptions(template).setPythonWarmup(false).validate();
        SimSession session = new SimSession(i, pool);
        Promise<Agent> started = Promise.promise();
        loops.get(i % loops.size()).runOnContext(v ->
            AgentImpl.start(vertx, options, session, Clock.systemUTC(), runtime).onComplete(started));
        starting.add(started.future());
      }
      Future.all(starting).await(60, TimeUnit.SECONDS);
      starting.forEach(f -> agents.add(f.result()));
    }
    if (template.isPythonWarmup() && !agents.isEmpty()) {
      ((AgentImpl) agents.get(0)).startWarmUp();
    }
    return new SimFarm(vertx, pool, agents);
  }

  public List<Agent> agents() {
    return List.copyOf(agents);
  }

  @Override
  public void close() throws Exception {
    List<Future<Void>> closing = new ArrayList<>();
    agents.forEach(a -> closing.add(a.close()));
    Future.join(closing).await(60, TimeUnit.SECONDS);
    pool.shutdownNow();
  }
}
