package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.jobs.JobRequester;
import dev.sessionhub.hub.impl.jobs.JobService;
import dev.sessionhub.hub.impl.jobs.Rollout;
import dev.sessionhub.hub.impl.jobs.JobTimeouts;
import dev.sessionhub.hub.impl.jobs.TargetResult;
import dev.sessionhub.hub.impl.jobs.TargetState;
import dev.sessionhub.shared.rpc.Params;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.rpc.RpcMethod;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Commands over XML-RPC, for Python 2.7 and 3 pipelines with the stock client: {@code hub.command(address, code)}
 * returns the output (or raises the session's fault), {@code hub.broadcast(selector, code[, timeout])} returns
 * the job with one result per session, {@code hub.job(id)} reads a job back.
 */
public final class HubJobRpcMethods {

  private HubJobRpcMethods() {
  }

  public static void register(RpcDispatcher dispatcher, JobService jobs) {
    dispatcher.register(new RpcMethod("hub.command",
        "Runs code in one session (address host:port) through its hub; returns its output or raises its fault.",
        List.of(List.of("string", "string", "string"), List.of("string", "string", "string", "double")),
        (params, caller) -> {
          Params.arity("hub.command", params, 2, 3);
          String address = Params.string("hub.command", params, 0, "address");
          String code = Params.string("hub.command", params, 1, "code");
          Duration timeout = timeout("hub.command", params, 2);
          return jobs.route(address, code, timeout, new JobRequester("xml-rpc", caller))
              .recover(e -> Future.failedFuture(JobFailures.asFault(e)))
              .compose(job -> jobs.await(job.id()))
              .map(view -> {
                TargetResult r = view.results().get(0);
                if (r.state() == TargetState.OK) {
                  return (Object) r.output();
                }
                throw new XmlRpcFaultException(r.faultCode() != 0 ? r.faultCode()
                    : FaultCode.INTERNAL_ERROR.code(), r.message());
              }).toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("hub.broadcast",
        "Runs code in every session matching a selector; returns {id, state, counts, results: [...]}. An optional "
            + "fourth parameter rolls it out: {batch: 5 or '20%', batch_wait: seconds, max_failures: n, "
            + "fail_fast: bool}.",
        List.of(List.of("struct", "string", "string"), List.of("struct", "string", "string", "double"),
            List.of("struct", "string", "string", "double", "struct")),
        (params, caller) -> {
          Params.arity("hub.broadcast", params, 2, 4);
          String selector = Params.string("hub.broadcast", params, 0, "selector");
          String code = Params.string("hub.broadcast", params, 1, "code");
          Duration timeout = timeout("hub.broadcast", params, 2);
          Rollout rollout = rollout(params, 3);
          return jobs.broadcast(HubRpcMethods.selector(selector), code, timeout, rollout,
              new JobRequester("xml-rpc", caller))
              .compose(job -> jobs.await(job.id()))
              .map(view -> PlainValues.of(view.toJson(true))).toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("hub.cancel",
        "Cancels a running job (through any hub): targets not yet sent never run, commands queued or running in "
            + "SessionHub agents are cancelled there. Returns the job as it stands; faults -32004 for an unknown "
            + "job, -32008 for one that already ended.",
        List.of(List.of("struct", "string")), (params, caller) -> {
          Params.arity("hub.cancel", params, 1, 1);
          String id = Params.string("hub.cancel", params, 0, "id");
          return jobs.cancel(id, new JobRequester("xml-rpc", caller))
              .recover(e -> Future.failedFuture(JobFailures.asFault(e)))
              .map(view -> PlainValues.of(view.toJson(true))).toCompletionStage();
        }));
    dispatcher.register(new RpcMethod("hub.job", "A job by id, with every result so far.",
        List.of(List.of("struct", "string")), params -> {
          Params.arity("hub.job", params, 1, 1);
          String id = Params.string("hub.job", params, 0, "id");
          return jobs.view(id).map(view -> {
            if (view == null) {
              throw new XmlRpcFaultException(FaultCode.NOT_FOUND, "no job " + id);
            }
            return PlainValues.of(view.toJson(true));
          }).toCompletionStage();
        }));
  }

  private static Rollout rollout(List<Object> params, int index) {
    if (params.size() <= index || params.get(index) == null) {
      return Rollout.ALL_AT_ONCE;
    }
    if (!(params.get(index) instanceof java.util.Map<?, ?> struct)) {
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS, "hub.broadcast: the rollout must be a struct "
          + "{batch, batch_wait, max_failures, fail_fast}");
    }
    java.util.Map<String, Object> fields = new java.util.HashMap<>();
    struct.forEach((k, v) -> fields.put(String.valueOf(k), v));
    try {
      return Rollout.fromRequest(fields);
    } catch (IllegalArgumentException e) {
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS, "hub.broadcast: " + e.getMessage());
    }
  }

  private static Duration timeout(String method, List<Object> params, int index) {
    try {
      return JobTimeouts.ofSeconds(params.size() <= index ? null : params.get(index));
    } catch (IllegalArgumentException e) {
      throw new XmlRpcFaultException(FaultCode.INVALID_PARAMS, method + ": 'timeout' " + e.getMessage());
    }
  }
}
