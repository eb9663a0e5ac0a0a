package dev.sessionhub.hub.client;

import dev.sessionhub.hub.client.AgentCallException.Kind;
import dev.sessionhub.shared.tls.TlsFailures;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Turns what Vert.x's HTTP client failed with into one {@link AgentCallException}, by exception type and by the
 * phase the call was in, never by message text.
 *
 * <p>Why the phase: the same {@link HttpClosedException} means "the agent closed without answering" before the
 * head of an answer and "the answer was cut short" inside its body; a failure while connecting to an
 * {@code https} agent is its TLS handshake. The whole cause chain is searched: our own failures first (already
 * classified), then TLS, timeouts, connection failures; anything else is PROTOCOL.
 */
final class FailureMapper {

  /** How far a call had got when it failed. */
  enum Phase {
    /** Connecting (and, for https, the TLS handshake): nothing sent. */
    CONNECTING,
    /** Request sent, no answer's head yet. */
    WAITING,
    /** Reading the answer's body. */
    READING
  }

  private final String trusted;
  private final long connectTimeoutMillis;

  /** {@code trusted} names the CAs https agents are checked against; the connect timeout is the client's. */
  FailureMapper(String trusted, long connectTimeoutMillis) {
    this.trusted = trusted;
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  AgentCallException map(Throwable failure, AgentTarget target, Phase phase, long timeoutMillis) {
    List<Throwable> chain = causes(failure);
    for (Throwable t : chain) {
      if (t instanceof AgentCallException e) {
        return e;
      }
    }
    if (TlsFailures.isTls(failure)) {
      String message = TlsFailures.certificateProblem(failure)
          .map(problem -> "the TLS certificate of " + target.hostPort() + " is not trusted (checked against "
              + trusted + " for host " + target.host() + "): " + problem)
          .orElse("TLS handshake with " + target.hostPort() + " failed (does it serve https?): "
              + failure.getMessage());
      return new AgentCallException(Kind.UNREACHABLE, message, failure);
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectTimeoutException) {
        return unreachable("no connection to " + target.hostPort() + " within " + connectTimeoutMillis + " ms",
            failure);
      }
      if (t instanceof TimeoutException) {
        return new AgentCallException(Kind.TIMEOUT, "no answer from " + target.url() + " within " + timeoutMillis
            + " ms", failure);
      }
      if (t instanceof ConnectException) {
        return unreachable("connection refused by " + target.hostPort(), failure);
      }
      if (t instanceof NoRouteToHostException) {
        return unreachable("no route to " + target.hostPort(), failure);
      }
      if (t instanceof UnknownHostException) {
        return unreachable("unknown host " + target.host(), failure);
      }
      if (t instanceof PortUnreachableException) {
        return unreachable("port unreachable: " + target.hostPort(), failure);
      }
    }
    if (phase == Phase.CONNECTING && target.tls()) {
      return unreachable("TLS handshake with " + target.hostPort() + " failed (does it serve https?): "
          + failure.getMessage(), failure);
    }
    if (phase != Phase.READING) {
      for (Throwable t : chain) {
        if (t instanceof HttpClosedException) {
          return unreachable("connection to " + target.hostPort() + " failed: " + AgentCallException.CLOSED_UNANSWERED,
              failure);
        }
        if (t instanceof IOException) {
          return unreachable("connection to " + target.hostPort() + " failed: " + t.getMessage(), failure);
        }
      }
    }
    if (phase == Phase.READING && chain.stream().anyMatch(t -> t instanceof HttpClosedException)) {
      return new AgentCallException(Kind.PROTOCOL, "the answer from " + target.url() + " ended early", failure);
    }
    Throwable root = chain.get(chain.size() - 1);
    return new AgentCallException(Kind.PROTOCOL, "bad response from " + target.url() + ": " + root, failure);
  }

  /** True when {@code failure} is the agent closing a connection before any answer: a stale kept connection. */
  static boolean closedUnanswered(Throwable failure) {
    return causes(failure).stream().anyMatch(t -> t instanceof HttpClosedException);
  }

  private static AgentCallException unreachable(String message, Throwable cause) {
    return new AgentCallException(Kind.UNREACHABLE, message, cause);
  }

  /** The failure and its causes, outermost first, each once. */
  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t) && chain.size() < 32; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
