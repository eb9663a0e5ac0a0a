package dev.sessionhub.agent.impl;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.SessionHost;
import dev.sessionhub.shared.model.SessionInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the {@code server_data()} answer from the host application's published state and the process facts. */
public final class ServerDataSource {

  public static final String AGENT_VERSION = "0.3.0";

  private final SessionHost host;
  private final ProcessFacts facts;
  private final Map<String, String> tags;
  private volatile int port;

  public ServerDataSource(SessionHost host, ProcessFacts facts, AgentOptions options) {
    this.host = host;
    this.facts = facts;
    Map<String, String> t = new LinkedHashMap<>(options.getTags());
    if (options.getName() != null) {
      t.put("name", options.getName());
    }
    this.tags = Map.copyOf(t);
  }

  void boundTo(int boundPort) {
    this.port = boundPort;
  }

  public SessionInfo current() {
    return new SessionInfo(facts.hostname(), host.appVersion(), host.filePath(), host.exe(), host.objectNames(),
        facts.pid(), port, facts.sessionId(), host.app(), AGENT_VERSION, facts.startedAt().toString(),
        host.runsOnMainThread(), host.headless(), facts.user(), tags);
  }
}
