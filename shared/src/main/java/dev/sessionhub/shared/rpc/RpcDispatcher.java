package dev.sessionhub.shared.rpc;

import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.MethodCall;
import dev.sessionhub.shared.xmlrpc.XmlRpcFault;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Maps method names to {@link RpcMethod}s and answers the {@code system.*} introspection methods. Knows nothing
 * of XML or HTTP: it takes a decoded call and returns a stage completing with the value, or failed with
 * {@link XmlRpcFaultException}. Stages, not Vert.x futures, so that both the agent and the hub use it while this module
 * stays free of Vert.x. Any other failure becomes {@link FaultCode#INTERNAL_ERROR}.
 */
public final class RpcDispatcher {

  private static final int MAX_MULTICALL = 256;

  private final Map<String, RpcMethod> methods = new TreeMap<>();

  public RpcDispatcher() {
    register(new RpcMethod("system.listMethods", "Lists the methods this server answers.",
        List.of(List.of("array")), params -> CompletableFuture.completedFuture(new ArrayList<>(methods.keySet()))));
    register(new RpcMethod("system.methodHelp", "Returns the help text of a method.",
        List.of(List.of("string", "string")), params -> {
          Params.arity("system.methodHelp", params, 1, 1);
          return CompletableFuture.completedFuture(lookup(Params.string("system.methodHelp", params, 0, "name")).help());
        }));
    register(new RpcMethod("system.methodSignature",
        "Returns the signatures of a method: arrays of XML-RPC type names, return type first.",
        List.of(List.of("array", "string")), params -> {
          Params.arity("system.methodSignature", params, 1, 1);
          return CompletableFuture.completedFuture(
              lookup(Params.string("system.methodSignature", params, 0, "name")).signatures());
        }));
    register(new RpcMethod("system.multicall",
        "Runs an array of {methodName, params} calls in order; returns [result] or a fault struct for each.",
        List.of(List.of("array", "array")), this::multicall));
  }

  /** Adds or replaces a method. Call before serving. */
  public RpcDispatcher register(RpcMethod method) {
    methods.put(method.name(), method);
    return this;
  }

  /** Dispatches a call made inside the process. */
  public CompletionStage<Object> dispatch(MethodCall call) {
    return dispatch(call, RpcCaller.LOCAL);
  }

  /** Dispatches a call on behalf of {@code caller}, whom the transport has already authenticated. */
  public CompletionStage<Object> dispatch(MethodCall call, RpcCaller caller) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    try {
      lookup(call.methodName()).handler().call(call.params(), caller).whenComplete((value, failure) -> {
        if (failure == null) {
          result.complete(value);
        } else {
          result.completeExceptionally(asFault(failure));
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(asFault(e));
    }
    return result;
  }

  private RpcMethod lookup(String name) {
    RpcMethod method = methods.get(name);
    if (method == null) {
      throw new XmlRpcFaultException(FaultCode.METHOD_NOT_FOUND, "method '" + name + "' is not supported");
    }
    return method;
  }

  /** The failure as the fault to answer: faults pass, {@code CompletionException}s unwrap, the rest is internal. */
  static XmlRpcFaultException asFault(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof XmlRpcFaultException fault) {
      return fault;
    }
    return new XmlRpcFaultException(FaultCode.INTERNAL_ERROR,
        "internal error: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  private CompletionStage<Object> multicall(List<Object> params, RpcCaller caller) {
    Params.arity("system.multicall", params, 1, 1);
    if (!(params.get(0) instanceof List<?> calls)) {
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
          "system.multicall: parameter 'calls' must be an array, got " + Params.typeName(params.get(0)));
    }
    if (calls.size() > MAX_MULTICALL) {
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
          "system.multicall: at most " + MAX_MULTICALL + " calls, got " + calls.size());
    }
    List<Object> results = new ArrayList<>(calls.size());
    CompletionStage<Object> chain = CompletableFuture.completedFuture(null);
    for (Object entry : calls) {
      chain = chain.thenCompose(ignored -> one(entry, caller)
          .handle((value, failure) -> failure == null ? Collections.singletonList(value) : faultStruct(failure))
          .thenApply(result -> {
            results.add(result);
            return null;
          }));
    }
    return chain.thenApply(ignored -> results);
  }

  private CompletionStage<Object> one(Object entry, RpcCaller caller) {
    if (!(entry instanceof Map<?, ?> call) || !(call.get("methodName") instanceof String name)) {
      return CompletableFuture.failedFuture(new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
          "system.multicall: each call must be a struct with a string 'methodName'"));
    }
    if (name.equals("system.multicall")) {
      return CompletableFuture.failedFuture(new XmlRpcFaultException(FaultCode.INVALID_REQUEST,
          "system.multicall cannot be nested"));
    }
    Object p = call.get("params");
    List<Object> callParams = p == null ? List.of() : p instanceof List<?> l ? new ArrayList<>(l) : null;
    if (callParams == null) {
      return CompletableFuture.failedFuture(new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
          "system.multicall: 'params' of " + name + " must be an array"));
    }
    return dispatch(new MethodCall(name, callParams), caller);
  }

  private static Map<String, Object> faultStruct(Throwable failure) {
    XmlRpcFault fault = asFault(failure).fault();
    Map<String, Object> struct = new LinkedHashMap<>();
    struct.put("faultCode", fault.code());
    struct.put("faultString", fault.message());
    return struct;
  }
}
