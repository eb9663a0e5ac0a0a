package dev.sessionhub.hub.impl.client;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the hub calls agents: one XML-RPC call at a time, answered as a {@link Future}.
 *
 * <p>Why an interface: discovery, routing and jobs depend on this contract only, so they can be tested with a
 * fake, and the transport (today the hardened Apache client, {@link ApacheAgentClient}) can change without
 * touching them. Every failure is an {@link AgentCallException} whose {@link AgentCallException.Kind} tells the
 * caller what happened (unreachable, timeout, fault, protocol, overloaded) without reading message text.
 */
public interface AgentClient extends AutoCloseable {

  /**
   * Calls {@code method} with {@code params} on the agent at {@code url} (e.g. {@code "http://127.0.0.1:8000/"}),
   * giving up after {@code timeout} in total (queueing, connecting and reading included). Runs on a bounded
   * worker pool, never on an event loop; the future completes on the caller's context. Fails only with
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
   * The same, but the worker asks {@code gate} right before sending: a refusal fails the call with {@link
   * AgentCallException.Kind#NOT_SENT} and the agent never sees it.
   */
  Future<Object> call(String url, String method, List<Object> params, Duration timeout, SendGate gate);

  /**
   * {@code server_data()} with the options' poll timeout, returned as a struct. Fails with {@link
   * AgentCallException} ({@link AgentCallException.Kind#PROTOCOL} if the answer is not a struct).
   */
  Future<Map<String, Object>> serverData(String url);

  /** Closes the worker pool; calls still waiting for a worker fail, later calls fail at once. */
  @Override
  void close();
}
