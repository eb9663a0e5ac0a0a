package dev.sessionhub.hub.testing;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.TestHost;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real agents for hub tests, on chosen loopback addresses and port ranges, each with its own session thread
 * (as separate applications have); closes what it started.
 */
public final class Agents implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final List<TestHost> hosts = new ArrayList<>();
  private final List<Agent> started = new ArrayList<>();

  public Agent start(AgentOptions options) throws Exception {
    TestHost host = new TestHost("hub-test-" + hosts.size());
    hosts.add(host);
    Agent agent = Agent.start(vertx, options, host).await(30, TimeUnit.SECONDS);
    started.add(agent);
    return agent;
  }

  public Agent start(String bind, int base, int max) throws Exception {
    return start(new AgentOptions().setBindAddress(bind).setBasePort(base).setMaxPort(max));
  }

  public void stop(Agent agent) throws Exception {
    started.remove(agent);
    agent.close().await(10, TimeUnit.SECONDS);
  }

  public List<Agent> all() {
    return List.copyOf(started);
  }

  @Override
  public void close() throws Exception {
    for (Agent a : List.copyOf(started)) {
      a.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    hosts.forEach(TestHost::close);
  }
}
