package dev.sessionhub.hub.impl.client;

import dev.sessionhub.hub.impl.client.AgentCallException.Kind;
import java.net.ConnectException;
import java.net.HttpRetryException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.xmlrpc.client.XmlRpcHttpTransportException;
import org.xml.sax.SAXException;

/**
 * Turns whatever the Apache client threw into one {@link AgentCallException}, by exception type only.
 *
 * <p>Why by type: the library wraps the real cause in one or two {@code XmlRpcException}s whose messages are
 * prose ("Failed to read server's response: ..."), and JDK messages differ between versions and locales. The
 * whole cause chain is searched for the most telling type: our own failures first (already classified), then
 * the fault, HTTP status, timeouts, connection failures and parse errors; anything else is PROTOCOL.
 */
final class FailureMapper {

  private FailureMapper() {
  }

  static AgentCallException map(Throwable failure, CallConfig call) {
    String url = call.getServerURL().toString();
    List<Throwable> chain = causes(failure);
    for (Throwable t : chain) {
      if (t instanceof AgentCallException e) {
        return e;
      }
    }
    for (Throwable t : chain) {
      if (t instanceof AgentFault fault) {
        return AgentCallException.fault(fault.code, fault.getMessage());
      }
      if (t instanceof ResponseLimitException limit) {
        return new AgentCallException(limit.kind(), limit.getMessage(), failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof XmlRpcHttpTransportException http) {
        return protocol(http.getStatusCode() < 0 ? "no HTTP response from " + url
            : "HTTP " + http.getStatusCode() + " from " + url, failure);
      }
      if (t instanceof HttpRetryException retry) {
        return protocol("HTTP " + retry.responseCode() + " from " + url, failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SocketTimeoutException) {
        return new AgentCallException(Kind.TIMEOUT,
            "no answer from " + url + " within " + call.deadline().timeoutMillis() + " ms", failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectException) {
        return unreachable("connection refused by " + call.hostPort(), failure);
      }
      if (t instanceof NoRouteToHostException) {
        return unreachable("no route to " + call.hostPort(), failure);
      }
      if (t instanceof UnknownHostException) {
        return unreachable("unknown host " + call.getServerURL().getHost(), failure);
      }
      if (t instanceof PortUnreachableException) {
        return unreachable("port unreachable: " + call.hostPort(), failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof NoHttpResponseException) {
        return noAnswer("connection to " + call.hostPort() + " failed: " + AgentCallException.CLOSED_UNANSWERED,
            failure);
      }
      if (t instanceof SocketException) {
        return noAnswer("connection to " + call.hostPort() + " failed: " + t.getMessage(), failure);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SAXException) {
        return protocol("malformed response from " + url + ": " + t.getMessage(), failure);
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    return protocol("bad response from " + url + ": " + root, failure);
  }

  private static AgentCallException unreachable(String message, Throwable cause) {
    return new AgentCallException(Kind.UNREACHABLE, message, cause);
  }

  /** Connected, and the request sent or on its way, when the connection ended: the call may have run. */
  private static AgentCallException noAnswer(String message, Throwable cause) {
    return new AgentCallException(Kind.NO_ANSWER, message, cause);
  }

  private static AgentCallException protocol(String message, Throwable cause) {
    return new AgentCallException(Kind.PROTOCOL, message, cause);
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
