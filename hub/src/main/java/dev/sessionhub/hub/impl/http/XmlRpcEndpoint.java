package dev.sessionhub.hub.impl.http;

import dev.sessionhub.shared.rpc.RpcCaller;
import dev.sessionhub.shared.rpc.RpcDispatcher;
import dev.sessionhub.shared.xmlrpc.MethodCall;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodecException;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /RPC2}: decode the call, dispatch it, encode the answer; faults are HTTP 200 as in XML-RPC. */
final class XmlRpcEndpoint {

  private final XmlRpcCodec codec;
  private final RpcDispatcher dispatcher;
  private final RequestGate gate;

  XmlRpcEndpoint(XmlRpcCodec codec, RpcDispatcher dispatcher, RequestGate gate) {
    this.codec = codec;
    this.dispatcher = dispatcher;
    this.gate = gate;
  }

  void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    RpcCaller caller = RequestGate.caller(ctx);
    try {
      MethodCall call = codec.decodeCall(bytes);
      if (!gate.mayCall(caller, call.methodName())) {
        gate.refuseUnauthenticated(ctx);
        return;
      }
      Future.fromCompletionStage(dispatcher.dispatch(call, caller), ctx.vertx().getOrCreateContext())
          .onComplete(ar -> {
            byte[] answer;
            if (ar.succeeded()) {
              answer = codec.encodeResponse(ar.result());
            } else {
              XmlRpcFaultException fault = ar.cause() instanceof XmlRpcFaultException f ? f
                  : new XmlRpcFaultException(FaultCode.INTERNAL_ERROR, String.valueOf(ar.cause().getMessage()));
              answer = codec.encodeFault(fault.fault());
            }
            write(ctx, answer);
          });
    } catch (XmlRpcCodecException e) {
      write(ctx, codec.encodeFault(e.toFault()));
    }
  }

  private static void write(RoutingContext ctx, byte[] answer) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().putHeader("Content-Type", "text/xml; charset=utf-8").end(Buffer.buffer(answer));
    }
  }
}
