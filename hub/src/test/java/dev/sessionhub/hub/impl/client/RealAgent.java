package dev.sessionhub.hub.impl.client;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.TestHost;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** A real SessionHub agent with a {@link TestHost}, on a loopback port chosen at run time. */
final class RealAgent implements AutoCloseable {

  private final TestHost host;
  private final Agent agent;

  private RealAgent(TestHost host, Agent agent) {
    this.host = host;
    this.agent = agent;
  }

  static RealAgent start(Vertx vertx, AgentOptions options) throws Exception {
    TestHost host = new TestHost("hub-client");
    try {
      Agent agent = Agent.start(vertx, options.setPort(FreePorts.one()), host).await(30, TimeUnit.SECONDS);
      return new RealAgent(host, agent);
    } catch (Exception e) {
      host.close();
      throw e;
    }
  }

  String url() {
    return agent.url();
  }

  int port() {
    return agent.port();
  }

  String sessionId() {
    return agent.sessionId();
  }

  @Override
  public void close() throws Exception {
    try {
      agent.close().await(10, TimeUnit.SECONDS);
    } finally {
      host.close();
    }
  }
}
