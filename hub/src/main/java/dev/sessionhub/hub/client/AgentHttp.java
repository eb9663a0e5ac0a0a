package dev.sessionhub.hub.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpConnection;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * What every call of one {@link VertxAgentClient} shares: the Vert.x HTTP client and its limits, the request
 * headers, the XML-RPC layer, the failure mapping and the call slots.
 *
 * @param usedConnections connections that have carried a request: a failure before any answer on one of these
 *     may be its staleness (the agent dropped it while it was idle), which only {@code server_data} is sent
 *     again for. Weakly held, so closed connections leave it.
 */
record AgentHttp(Vertx vertx, HttpClient client, String userAgent, String authorization, int maxResponseBytes,
    int slotCount, XmlRpcMessages messages, FailureMapper failures, CallSlots slots,
    Set<HttpConnection> usedConnections) {

  static Set<HttpConnection> newConnectionSet() {
    return Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  }
}
