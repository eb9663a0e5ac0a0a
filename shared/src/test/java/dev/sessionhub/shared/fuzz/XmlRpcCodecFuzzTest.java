package dev.sessionhub.shared.fuzz;

import static dev.sessionhub.shared.fuzz.Values.assertSameValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sessionhub.shared.xmlrpc.CodecLimits;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.MethodCall;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodecException;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;

/**
 * Fuzzes {@link XmlRpcCodec} decoding with raw bodies, the untrusted input of the agent's and hub's XML-RPC
 * servers and of the hub's client.
 *
 * <p>Properties: decoding either succeeds or throws {@link XmlRpcCodecException} with
 * {@link FaultCode#PARSE_ERROR} or {@link FaultCode#INVALID_REQUEST} (any other throwable, a stack overflow, an
 * out-of-memory or a slow input is a finding); what decodes re-encodes to a body that decodes to the same values
 * (see {@link Values} for the two documented lossy spots); a codec with tighter limits never accepts what the
 * default one refuses, and agrees with it on what both accept.
 *
 * <p>Seeds: {@code src/test/resources/dev/sessionhub/shared/fuzz/XmlRpcCodecFuzzTestInputs/<method>/}.
 */
class XmlRpcCodecFuzzTest {
  private static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();
  /** Shallow and small, so that the limit paths get exercised too. */
  private static final XmlRpcCodec TIGHT = new XmlRpcCodec(new CodecLimits(3, 2048));

  @DictionaryEntries({"<methodCall>", "</methodCall>", "<methodName>", "</methodName>", "<params>", "</params>",
      "<param>", "</param>", "<value>", "</value>", "<struct>", "</struct>", "<member>", "</member>", "<name>",
      "</name>", "<array>", "</array>", "<data>", "</data>", "<int>", "<i4>", "<i8>", "<ex:i8>", "<boolean>",
      "<double>", "<string>", "<base64>", "<dateTime.iso8601>", "<nil/>", "<![CDATA[", "]]>", "<!DOCTYPE",
      "<!ENTITY", "&#x", "&amp;", "<?xml version=\"1.1\"?>", "<!--"})
  @FuzzTest(maxDuration = "20s")
  void decodeCall(byte[] body) {
    MethodCall call = decodeCall(CODEC, body);
    MethodCall tight = decodeCall(TIGHT, body);
    if (call == null) {
      assertEquals(null, tight, "the tight codec accepted what the default one refused");
      return;
    }
    if (tight != null) {
      assertSameCall(call, tight);
    }
    assertFalse(call.methodName().isEmpty(), "empty method name accepted");
    byte[] again = CODEC.encodeCall(call.methodName(), call.params());
    MethodCall back = decodeCall(CODEC, again);
    if (back == null) {
      fail("the re-encoded call does not decode: " + Values.utf8(again));
    }
    assertSameCall(call, back);
  }

  @DictionaryEntries({"<methodResponse>", "</methodResponse>", "<fault>", "</fault>", "<name>faultCode</name>",
      "<name>faultString</name>", "<params>", "</params>", "<param>", "</param>", "<value>", "</value>",
      "<struct>", "</struct>", "<member>", "</member>", "<name>", "</name>", "<array>", "</array>", "<data>",
      "</data>", "<int>", "<i8>", "<boolean>", "<double>", "<string>", "<base64>", "<dateTime.iso8601>", "<nil/>",
      "<![CDATA[", "<!DOCTYPE", "&#x", "<?xml version=\"1.1\"?>"})
  @FuzzTest(maxDuration = "20s")
  void decodeResponse(byte[] body) {
    XmlRpcResponse response = decodeResponse(CODEC, body);
    XmlRpcResponse tight = decodeResponse(TIGHT, body);
    if (response == null) {
      assertEquals(null, tight, "the tight codec accepted what the default one refused");
      return;
    }
    if (tight != null) {
      assertSameResponse(response, tight);
    }
    byte[] again = response.isFault()
        ? CODEC.encodeFault(response.fault())
        : CODEC.encodeResponse(response.value());
    XmlRpcResponse back = decodeResponse(CODEC, again);
    if (back == null) {
      fail("the re-encoded response does not decode: " + Values.utf8(again));
    }
    assertSameResponse(response, back);
  }

  /** The decoded call, or null after checking that the failure is a well-formed codec error. */
  private static MethodCall decodeCall(XmlRpcCodec codec, byte[] body) {
    try {
      return codec.decodeCall(body);
    } catch (XmlRpcCodecException e) {
      checkError(e);
      return null;
    }
  }

  private static XmlRpcResponse decodeResponse(XmlRpcCodec codec, byte[] body) {
    try {
      return codec.decodeResponse(body);
    } catch (XmlRpcCodecException e) {
      checkError(e);
      return null;
    }
  }

  private static void checkError(XmlRpcCodecException e) {
    assertTrue(e.code() == FaultCode.PARSE_ERROR || e.code() == FaultCode.INVALID_REQUEST, "code " + e.code());
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "codec error without a message");
    assertEquals(e.code().code(), e.toFault().code());
  }

  private static void assertSameCall(MethodCall expected, MethodCall actual) {
    assertEquals(expected.methodName(), actual.methodName());
    assertSameValue(expected.params(), actual.params());
  }

  private static void assertSameResponse(XmlRpcResponse expected, XmlRpcResponse actual) {
    assertEquals(expected.isFault(), actual.isFault());
    if (expected.isFault()) {
      assertEquals(expected.fault(), actual.fault());
    } else {
      assertSameValue(expected.value(), actual.value());
    }
  }
}
