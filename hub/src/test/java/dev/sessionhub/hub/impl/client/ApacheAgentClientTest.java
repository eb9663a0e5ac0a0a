package dev.sessionhub.hub.impl.client;

import io.vertx.core.Vertx;

/** The agent-client contract run against {@link ApacheAgentClient} (XML-RPC over Apache HttpClient 5). */
class ApacheAgentClientTest extends AgentClientContract {

  @Override
  protected AgentClient newClient(Vertx vertx, AgentClientOptions options) {
    return new ApacheAgentClient(vertx, options);
  }
}
