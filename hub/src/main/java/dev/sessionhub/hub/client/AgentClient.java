package dev.sessionhub.hub.client;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the hub calls agents: one XML-RPC call at a time, answered as a {@link Future}.
 *
 * <p>Why an interface: discovery, routing and jobs depend on this contract only, so they can be tested with a
 * fake, and the transport (today the hardened Apache XML-RPC layer on Vert.x's HTTP client, {@link
 * VertxAgentClient}) can change without
 * touching them. Every failure is an {@link AgentCallException} whose {@link AgentCallException.Kind} tells the
 * caller what happened (unreachable, timeout, fault, protocol, overloaded) without reading message text.
 */
public interface AgentClient extends AutoCloseable {

  /**
   * Calls {@code method} with {@code params} on the agent at {@code url} (e.g. {@code "http://127.0.0.1:8000/"}),
   * giving up after {@code timeout} in total (queueing, connecting and reading included). Never blocks the
   * caller; at most the options' pool size of calls are in flight at once, the rest wait in a bounded queue; the
   * future completes on the caller's context. Fails only with
   * {@link AgentCallException}.
   *
   * <p>Parameters may be {@code Integer}, {@code Long} (sent as int when it fits, else as string), {@code
   * String}, {@code Boolean}, {@code Double}, {@code byte[]}, {@code Map<String, ?>}, {@code List} and arrays of
   * these. Results use the Apache client's types: arrays arrive as {@code Object[]}, structs as {@code Map},
   * {@code <nil/>} as {@code null} and {@code <i8>} as {@code Long}.
   */
  default Future<Object> call(String url, String method, List<Object> params, Duration timeout) {
    return call(url, method, params, timeout, SendGate.OPEN);
  }

  /**
   * The same, but the client asks {@code gate} right before sending: a refusal fails the call with {@link
   * AgentCallException.Kind#NOT_SENT} and the agent never sees it.
   */
  Future<Object> call(String url, String method, List<Object> params, Duration timeout, SendGate gate);

  /**
   * {@code server_data()} with the options' poll timeout, returned as a struct. Fails with {@link
   * AgentCallException} ({@link AgentCallException.Kind#PROTOCOL} if the answer is not a struct).
   */
  Future<Map<String, Object>> serverData(String url);

  /** Closes the client; calls still waiting for a slot fail, later calls fail at once, calls in flight end. */
  @Override
  void close();
}
