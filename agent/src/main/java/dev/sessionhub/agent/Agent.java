package dev.sessionhub.agent;

import dev.sessionhub.agent.impl.AgentImpl;
import dev.sessionhub.shared.model.SessionInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * A running per-session XML-RPC server: {@code server_data()}, {@code command(code)} and the rest of the wire
 * contract, bound to the first free port of its range.
 *
 * <pre>{@code
 * Agent.start(vertx, new AgentOptions().setBasePort(8000), host)
 *     .onSuccess(agent -> System.out.println("listening on " + agent.url()));
 * }</pre>
 */
public interface Agent {

  /** Binds, starts serving and (with a hub URL) announces itself. Fails if no port in the range is free. */
  static Future<Agent> start(Vertx vertx, AgentOptions options, SessionHost host) {
    return AgentImpl.start(vertx, new AgentOptions(options).validate(), host, Clock.systemUTC());
  }

  /** The port actually bound. */
  int port();

  /** {@code http://address:port/} ({@code https://} when serving TLS), without credentials. */
  String url();

  /** A new random id for every start of this process; how the hub tells a restarted session from the old one. */
  String sessionId();

  /** What {@code server_data()} answers right now. */
  SessionInfo serverData();

  /** Deregisters from the hub (if any), stops accepting work and releases the port before completing. */
  Future<Void> close();
}
