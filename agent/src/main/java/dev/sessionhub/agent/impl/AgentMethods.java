package dev.sessionhub.agent.impl;

import dev.sessionhub.agent.impl.command.CommandQueue;
import dev.sessionhub.agent.impl.command.OutputFollowing;
import dev.sessionhub.agent.impl.python.SessionPython;
import dev.sessionhub.shared.rpc.Params;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.rpc.RpcMethod;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The session methods of the wire contract: {@code server_data}, {@code scene_objects}, {@code command},
 * {@code cancel}, {@code output} and {@code evaluate}. The first two read the host's published snapshot on the server thread; the last two go
 * through the {@link CommandQueue} to the session's main thread.
 */
final class AgentMethods {

  private AgentMethods() {
  }

  private static Duration seconds(Object value) {
    if (value instanceof Number n && n.doubleValue() > 0 && n.doubleValue() <= 86_400) {
      return Duration.ofMillis(Math.max(1, (long) (n.doubleValue() * 1000)));
    }
    throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
        "command: parameter 'timeout' must be a number of seconds between 0 and 86400, got " + Params.typeName(value));
  }

  private static long cursor(Object value) {
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
      return ((Number) value).longValue();
    }
    throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
        "output: parameter 'cursor' must be an int >= 0, got " + describe(value));
  }

  private static Duration waitSeconds(Object value) {
    if ((value instanceof Integer || value instanceof Long || value instanceof Double) && ((Number) value)
        .doubleValue() >= 0 && ((Number) value).doubleValue() <= OutputFollowing.MAX_WAIT.toSeconds()) {
      return Duration.ofMillis((long) (((Number) value).doubleValue() * 1000));
    }
    throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
        "output: parameter 'wait' must be a number of seconds from 0 to 30, got " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof Number ? Params.typeName(value) + " " + value : Params.typeName(value);
  }

  static void registerAll(RpcDispatcher dispatcher, ServerDataSource serverData, CommandQueue commands,
      SessionPython python, OutputFollowing following) {
    dispatcher.register(new RpcMethod("server_data",
        "Describes this session: hostname, app_version, file_path, exe, scene_objects, pid and more.",
        List.of(List.of("struct")), params -> {
          Params.arity("server_data", params, 0, 0);
          return CompletableFuture.completedFuture(serverData.current().toStruct());
        }));
    dispatcher.register(new RpcMethod("scene_objects",
        "Names of the objects in the open scene, joined by ','.",
        List.of(List.of("string")), params -> {
          Params.arity("scene_objects", params, 0, 0);
          return CompletableFuture.completedFuture(String.join(",", serverData.current().sceneObjects()));
        }));
    dispatcher.register(new RpcMethod("command",
        "Runs Python code in the session's persistent namespace on its main thread; returns what it printed. "
            + "An optional second parameter limits its time in seconds (never beyond the session's own limit); "
            + "an optional third names the command, so that cancel(id) can stop it.",
        List.of(List.of("string", "string"), List.of("string", "string", "double"),
            List.of("string", "string", "double", "string")), params -> {
          Params.arity("command", params, 1, 3);
          String code = Params.string("command", params, 0, "code");
          String id = params.size() == 3 ? Params.string("command", params, 2, "id") : null;
          if (params.size() >= 2 && params.get(1) != null) {
            Duration limit = seconds(params.get(1));
            return commands.submit((abort, out) -> (Object) python.namespace(abort).exec(code, abort, out), limit, id)
                .toCompletionStage();
          }
          return commands.submit((abort, out) -> (Object) python.namespace(abort).exec(code, abort, out),
              Duration.ofDays(1), id).toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("cancel",
        "Cancels the command submitted under this id: a queued one never runs, a running one is interrupted; "
            + "either answers its caller fault -32007. Returns {id, result: removed|interrupted|unknown}.",
        List.of(List.of("struct", "string")), params -> {
          Params.arity("cancel", params, 1, 1);
          String id = Params.string("cancel", params, 0, "id");
          Map<String, Object> answer = new java.util.LinkedHashMap<>();
          answer.put("id", id);
          answer.put("result", commands.cancel(id).wire());
          return CompletableFuture.completedFuture(answer);
        }));
    dispatcher.register(new RpcMethod("evaluate",
        "Evaluates a Python expression in the session's namespace and returns its value.",
        List.of(List.of("any", "string")), params -> {
          Params.arity("evaluate", params, 1, 1);
          String expression = Params.string("evaluate", params, 0, "expr");
          return commands.submit((abort, out) -> python.namespace(abort).eval(expression, abort))
              .toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("output",
        "What the command submitted under an id has printed past a cursor (0 first, then the cursor answered), "
            + "waiting up to the third parameter's seconds (0 to 30) for more while it runs. Returns {id, state: "
            + "queued|running|ended|unknown, text, cursor, skipped, more}; an ended command's output stays "
            + "readable for 30 s.",
        List.of(List.of("struct", "string", "int", "double")), params -> {
          Params.arity("output", params, 3, 3);
          String id = Params.string("output", params, 0, "id");
          if (id.isEmpty() || id.length() > CommandQueue.MAX_ID_LENGTH) {
            throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
                "output: parameter 'id' must be 1 to " + CommandQueue.MAX_ID_LENGTH + " characters");
          }
          long cursor = cursor(params.get(1));
          Duration wait = waitSeconds(params.get(2));
          return following.read(id, cursor, wait).<Object>map(answer -> answer).toCompletionStage();
        }));
  }
}
