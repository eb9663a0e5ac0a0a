package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.discovery.SessionLeases;
import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.inventory.SessionRecordJson;
import dev.sessionhub.hub.impl.inventory.Source;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.rpc.Params;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.rpc.RpcMethod;
import dev.sessionhub.shared.selector.Selector;
import dev.sessionhub.shared.selector.SelectorSyntaxException;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's XML-RPC methods at {@code /RPC2}, for Python pipelines and for agents: {@code hub.sessions},
 * {@code hub.session}, and the announce protocol {@code hub.register}, {@code hub.heartbeat},
 * {@code hub.deregister}.
 */
public final class HubRpcMethods {

  private HubRpcMethods() {
  }

  public static void registerInventory(RpcDispatcher dispatcher, Inventory inventory, SessionLeases registry,
      Duration heartbeat) {
    registerInventory(dispatcher, inventory, registry, heartbeat, false);
  }

  /** As above; with {@code agentsUseTls}, {@code hub.register} refuses an {@code http://} agent URL. */
  public static void registerInventory(RpcDispatcher dispatcher, Inventory inventory, SessionLeases registry,
      Duration heartbeat, boolean agentsUseTls) {
    dispatcher.register(new RpcMethod("hub.sessions",
        "Sessions matching a selector (e.g. 'app=blender tag.show=abc'; empty or '*' for all), as structs.",
        List.of(List.of("array"), List.of("array", "string")), params -> {
          Params.arity("hub.sessions", params, 0, 1);
          Selector selector = selector(Params.optionalString("hub.sessions", params, 0, "selector", ""));
          return inventory.find(selector).map(records -> {
            List<Object> out = new ArrayList<>(records.size());
            records.forEach(r -> out.add(PlainValues.of(SessionRecordJson.toApi(r))));
            return (Object) out;
          }).toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("hub.session", "One session by address (host:port), as a struct.",
        List.of(List.of("struct", "string")), params -> {
          Params.arity("hub.session", params, 1, 1);
          String address = Params.string("hub.session", params, 0, "address");
          return inventory.get(address).map(r -> {
            if (r == null) {
              throw new XmlRpcFaultException(FaultCode.NOT_FOUND, "no session at " + address);
            }
            return PlainValues.of(SessionRecordJson.toApi(r));
          }).toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("hub.register",
        "An agent announces itself: its server_data struct plus 'url'. Returns its address and lease.",
        List.of(List.of("struct", "struct")), params -> {
          Params.arity("hub.register", params, 1, 1);
          if (!(params.get(0) instanceof Map<?, ?> struct)) {
            throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
                "hub.register: parameter 'session' must be a struct, got " + Params.typeName(params.get(0)));
          }
          URI url = agentUrl(struct.get("url"));
          if (agentsUseTls && !"https".equals(url.getScheme())) {
            throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS, "hub.register: this hub calls agents over "
                + "https only (--agent-tls); start the session with --tls-cert and --tls-key");
          }
          SessionInfo info;
          try {
            info = SessionInfo.fromStruct(castMap(struct));
          } catch (IllegalArgumentException e) {
            throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS, "hub.register: " + e.getMessage());
          }
          String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
              : url.getHost();
          return registry.registered(host, url.getPort(), url.toString(), info.withPort(url.getPort()))
              .map(r -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("address", r.address());
                answer.put("lease_ms", (int) registry.lease().toMillis());
                answer.put("heartbeat_ms", (int) heartbeat.toMillis());
                return (Object) answer;
              }).toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("hub.heartbeat",
        "Renews an announced session's lease; false if the hub does not know it (register again).",
        List.of(List.of("boolean", "string", "string")), params -> {
          Params.arity("hub.heartbeat", params, 2, 2);
          return registry.heartbeat(Params.string("hub.heartbeat", params, 0, "address"),
              Params.string("hub.heartbeat", params, 1, "session_id")).map(b -> (Object) b).toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("hub.deregister",
        "Removes an announced session at once (clean exit); true if it was known.",
        List.of(List.of("boolean", "string", "string")), params -> {
          Params.arity("hub.deregister", params, 1, 2);
          return registry.forget(Params.string("hub.deregister", params, 0, "address"),
              Params.optionalString("hub.deregister", params, 1, "session_id", null))
              .map(b -> (Object) b).toCompletionStage();
        }));
  }

  static Selector selector(String text) {
    try {
      return Selector.parse(text);
    } catch (SelectorSyntaxException e) {
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS, e.getMessage());
    }
  }

  private static URI agentUrl(Object value) {
    if (!(value instanceof String s)) {
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS, "hub.register: the struct needs a string 'url'");
    }
    try {
      URI uri = new URI(s);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null
          || uri.getPort() < 1 || uri.getUserInfo() != null) {
        throw new URISyntaxException(s, "must be http(s)://host:port/ without credentials");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS, "hub.register: bad url '" + s + "': "
          + e.getReason());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> castMap(Map<?, ?> m) {
    return (Map<String, ?>) m;
  }

}
