package dev.sessionhub.shared.rpc;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One XML-RPC method: its name, help text, signatures (return type first, then parameter types, in XML-RPC type
 * names) and the handler. Handlers may throw {@code XmlRpcFaultException} for bad parameters.
 */
public record RpcMethod(String name, String help, List<List<String>> signatures, CallerAwareHandler handler) {

  /** A method that does not care who calls it. */
  public RpcMethod(String name, String help, List<List<String>> signatures, Handler handler) {
    this(name, help, signatures, (params, caller) -> handler.call(params));
  }

  /** Runs the method; the stage fails with an {@code XmlRpcFaultException} to answer with a fault. */
  @FunctionalInterface
  public interface Handler {
    CompletionStage<Object> call(List<Object> params);
  }

  /** Runs the method on behalf of {@code caller} (to record who ran what). */
  @FunctionalInterface
  public interface CallerAwareHandler {
    CompletionStage<Object> call(List<Object> params, RpcCaller caller);
  }
}
