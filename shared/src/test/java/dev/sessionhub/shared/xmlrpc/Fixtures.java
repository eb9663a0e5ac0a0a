package dev.sessionhub.shared.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

/** Shared helpers for the codec tests: building bodies and asserting codec failures. */
final class Fixtures {
  static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();

  private Fixtures() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A response body whose single param value has the given inner XML. */
  static byte[] response(String valueInner) {
    return utf8("<?xml version=\"1.0\"?><methodResponse><params><param><value>" + valueInner
        + "</value></param></params></methodResponse>");
  }

  /** Decodes the single value of a response body built by {@link #response(String)}. */
  static Object decodeValue(String valueInner) throws XmlRpcCodecException {
    XmlRpcResponse r = CODEC.decodeResponse(response(valueInner));
    assertTrue(!r.isFault(), "unexpected fault " + r.fault());
    return r.value();
  }

  /** Encodes as a response and decodes it again. */
  static Object roundTrip(Object value) throws XmlRpcCodecException {
    XmlRpcResponse r = CODEC.decodeResponse(CODEC.encodeResponse(value));
    assertTrue(!r.isFault());
    return r.value();
  }

  interface Decode {
    Object run() throws XmlRpcCodecException;
  }

  /** Asserts a codec failure with the given code whose message contains {@code fragment}. */
  static XmlRpcCodecException assertCodecError(FaultCode code, String fragment, Decode decode) {
    XmlRpcCodecException e = assertThrows(XmlRpcCodecException.class, decode::run);
    assertEquals(code, e.code(), "wrong code, message: " + e.getMessage());
    assertTrue(e.getMessage().contains(fragment),
        "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    return e;
  }

  static XmlRpcCodecException callError(FaultCode code, String fragment, String body) {
    return assertCodecError(code, fragment, () -> CODEC.decodeCall(utf8(body)));
  }
}
