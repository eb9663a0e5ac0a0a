package dev.sessionhub.agent.testing;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Java agent, in this JVM, on its own Vert.x, with a {@link TestHost}. */
public final class JavaAgentUnderTest implements AgentUnderTest {

  private final Vertx vertx;
  private final TestHost host;
  private Agent agent;

  private JavaAgentUnderTest(Vertx vertx, TestHost host, Agent agent) {
    this.vertx = vertx;
    this.host = host;
    this.agent = agent;
  }

  public static AgentUnderTest start(AgentOptions options) throws Exception {
    Vertx vertx = Vertx.vertx();
    TestHost host = new TestHost("agent-under-test");
    return new JavaAgentUnderTest(vertx, host, Agent.start(vertx, options, host).await(30, TimeUnit.SECONDS));
  }

  /** The running agent itself, for tests that reach past the wire. */
  public Agent agent() {
    return agent;
  }

  @Override
  public String label() {
    return "java";
  }

  @Override
  public int port() {
    return agent.port();
  }

  @Override
  public String sessionId() {
    return agent.sessionId();
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public boolean mainThread() {
    return false;
  }

  @Override
  public void publish(List<String> objects) {
    host.publish(objects);
  }

  @Override
  public void restart(AgentOptions options) throws Exception {
    agent.close().await(10, TimeUnit.SECONDS);
    agent = Agent.start(vertx, options, host).await(30, TimeUnit.SECONDS);
  }

  @Override
  public ProcessHealth health() {
    return ProcessHealth.now();
  }

  @Override
  public void close() {
    try {
      agent.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("closing the Java agent", e);
    } finally {
      host.close();
    }
  }
}
