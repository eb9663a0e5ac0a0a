package dev.sessionhub.shared.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small value types around the codec. */
class ModelTest {

  @Test
  void faultCodesAreStableAndLookedUp() {
    assertEquals(1, FaultCode.APPLICATION_ERROR.code());
    assertEquals(-32700, FaultCode.PARSE_ERROR.code());
    assertEquals(-32005, FaultCode.UNREACHABLE.code());
    for (FaultCode code : FaultCode.values()) {
      assertEquals(Optional.of(code), FaultCode.of(code.code()));
    }
    assertEquals(Optional.empty(), FaultCode.of(0));
  }

  @Test
  void faultAndItsStruct() {
    XmlRpcFault fault = XmlRpcFault.of(FaultCode.METHOD_NOT_FOUND, "no such method");
    assertEquals(new XmlRpcFault(-32601, "no such method"), fault);
    Map<String, Object> struct = fault.toStruct();
    assertEquals(List.of("faultCode", "faultString"), new ArrayList<>(struct.keySet()));
    assertEquals(-32601, struct.get("faultCode"));
    assertEquals("no such method", struct.get("faultString"));
    assertEquals("", new XmlRpcFault(3, null).message());
  }

  @Test
  void exceptionsCarryTheirFaults() {
    XmlRpcFaultException thrown = new XmlRpcFaultException(FaultCode.SESSION_BUSY, "busy");
    assertEquals(-32001, thrown.code());
    assertEquals(new XmlRpcFault(-32001, "busy"), thrown.fault());
    assertEquals(new XmlRpcFault(9, "x"), new XmlRpcFaultException(9, "x").fault());

    XmlRpcCodecException codec = new XmlRpcCodecException(FaultCode.INVALID_REQUEST, "bad");
    assertEquals(FaultCode.INVALID_REQUEST, codec.code());
    assertEquals(new XmlRpcFault(-32600, "bad"), codec.toFault());
    assertThrows(IllegalArgumentException.class,
        () -> new XmlRpcCodecException(FaultCode.SESSION_BUSY, "not a codec error"));
  }

  @Test
  void limitsValidate() {
    assertEquals(new CodecLimits(32, 1 << 20), CodecLimits.defaults());
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1, -1));
    assertEquals(CodecLimits.defaults(), XmlRpcCodec.withDefaults().limits());
    assertSame(XmlRpcCodec.withDefaults(), XmlRpcCodec.withDefaults());
  }

  @Test
  void methodCallCopiesAndFreezesParams() {
    List<Object> params = new ArrayList<>();
    params.add(null);
    MethodCall call = new MethodCall("m", params);
    params.add(2);
    assertEquals(1, call.params().size());
    assertNull(call.params().get(0));
    assertThrows(UnsupportedOperationException.class, () -> call.params().add(3));
    assertTrue(new MethodCall("m", null).params().isEmpty());
    assertThrows(NullPointerException.class, () -> new MethodCall(null, List.of()));
  }

  @Test
  void responseIsValueOrFault() {
    assertFalse(XmlRpcResponse.success(null).isFault());
    assertEquals(5, XmlRpcResponse.success(5).value());
    XmlRpcResponse failure = XmlRpcResponse.failure(new XmlRpcFault(1, "x"));
    assertTrue(failure.isFault());
    assertNull(failure.value());
    assertThrows(IllegalArgumentException.class, () -> new XmlRpcResponse(1, new XmlRpcFault(1, "x")));
    assertThrows(NullPointerException.class, () -> XmlRpcResponse.failure(null));
  }
}
