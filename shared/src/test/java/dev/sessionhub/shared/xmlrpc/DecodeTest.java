package dev.sessionhub.shared.xmlrpc;

import static dev.sessionhub.shared.xmlrpc.Fixtures.CODEC;
import static dev.sessionhub.shared.xmlrpc.Fixtures.assertCodecError;
import static dev.sessionhub.shared.xmlrpc.Fixtures.callError;
import static dev.sessionhub.shared.xmlrpc.Fixtures.decodeValue;
import static dev.sessionhub.shared.xmlrpc.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding of the value and envelope forms real clients and servers send. */
class DecodeTest {
  private static final LocalDateTime T = LocalDateTime.of(1998, 7, 17, 14, 8, 55);

  @Test
  void integerForms() throws Exception {
    assertEquals(5, decodeValue("<int>5</int>"));
    assertEquals(-5, decodeValue("<i4> -5 </i4>"));
    assertEquals(7, decodeValue("<int>+7</int>"));
    assertEquals(1L << 40, decodeValue("<i8>1099511627776</i8>"));
    assertEquals(3L, decodeValue("<ex:i8 xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">3</ex:i8>"));
    assertEquals(4L, decodeValue("<ex:i8>4</ex:i8>"), "prefix without a declaration, like Python");
    assertNull(decodeValue("<ex:nil/>"));
  }

  @Test
  void stringForms() throws Exception {
    assertEquals("  spaced\n text ", decodeValue("<string>  spaced\n text </string>"));
    assertEquals(" bare ", decodeValue(" bare "));
    assertEquals("", decodeValue(""));
    assertEquals("", decodeValue("<string></string>"));
    assertEquals("", decodeValue("<string/>"));
    assertEquals("a<b>&c\r", decodeValue("<string>a&lt;b&gt;&amp;c&#13;</string>"));
    assertEquals("cdata <x>", decodeValue("<string><![CDATA[cdata <x>]]></string>"));
    assertEquals("ab", decodeValue("a<!-- note -->b"));
    assertEquals("東京", decodeValue("<string>&#x6771;&#20140;</string>"));
    XmlRpcResponse selfClosing = CODEC.decodeResponse(
        utf8("<methodResponse><params><param><value/></param></params></methodResponse>"));
    assertEquals("", selfClosing.value());
  }

  @Test
  void booleansDoublesAndNil() throws Exception {
    assertEquals(true, decodeValue("<boolean>1</boolean>"));
    assertEquals(false, decodeValue("<boolean>0</boolean>"));
    assertEquals(-1.5e10, decodeValue("<double>-1.5E10</double>"));
    assertEquals(Double.POSITIVE_INFINITY, decodeValue("<double>inf</double>"));
    assertEquals(Double.NEGATIVE_INFINITY, decodeValue("<double>-inf</double>"));
    assertTrue(Double.isNaN((Double) decodeValue("<double>nan</double>")));
    assertNull(decodeValue("<nil/>"));
    assertNull(decodeValue(" <nil></nil> "));
  }

  @Test
  void dateTimeForms() throws Exception {
    assertEquals(T, decodeValue("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>"));
    assertEquals(T, decodeValue("<dateTime.iso8601>1998-07-17T14:08:55</dateTime.iso8601>"));
    assertEquals(T, decodeValue("<dateTime.iso8601>19980717T140855</dateTime.iso8601>"));
    assertEquals(T, decodeValue("<dateTime.iso8601>19980717T14:08:55Z</dateTime.iso8601>"));
    assertEquals(T, decodeValue("<dateTime.iso8601>1998-07-17T14:08:55+02:00</dateTime.iso8601>"));
    assertEquals(T, decodeValue("<dateTime.iso8601>19980717T14:08:55-0500</dateTime.iso8601>"));
    assertEquals(T.withNano(250_000_000),
        decodeValue("<dateTime.iso8601>1998-07-17T14:08:55.25Z</dateTime.iso8601>"));
    for (String bad : List.of("1998071T14:08:55", "19980717 14:08:55", "19981317T14:08:55",
        "19980717T25:08:55", "19980717T14:08:55+2", "1998-07-17T14:08:55.", "x", "",
        "19980717T14:08:55junk", "1998-0717T14:08:55")) {
      assertCodecError(FaultCode.INVALID_REQUEST, "dateTime.iso8601",
          () -> decodeValue("<dateTime.iso8601>" + bad + "</dateTime.iso8601>"));
    }
  }

  @Test
  void base64IsWhitespaceTolerant() throws Exception {
    assertArrayEquals("hello world".getBytes(),
        (byte[]) decodeValue("<base64>aGVsbG8g\r\n  d29y\nbGQ=</base64>"));
    assertArrayEquals(new byte[0], (byte[]) decodeValue("<base64></base64>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "base64", () -> decodeValue("<base64>aGVsbG8=x</base64>"));
  }

  @Test
  void structsAndArrays() throws Exception {
    Object v = decodeValue("<struct>\n<member><name>b</name><value><int>1</int></value></member>"
        + "<member><value>x</value><name>a</name></member>"
        + "<member><name>c</name><value><array><data><value>1</value><value><i4>2</i4></value>"
        + "</data></array></value></member></struct>");
    assertEquals(Map.of("b", 1, "a", "x", "c", List.of("1", 2)), v);
    assertEquals(List.of("b", "a", "c"), List.copyOf(((Map<?, ?>) v).keySet()));
    assertEquals(List.of(), decodeValue("<array><data/></array>"));
    assertEquals(Map.of(), decodeValue("<struct/>"));
  }

  @Test
  void badScalarsNameTheText() {
    assertCodecError(FaultCode.INVALID_REQUEST, "'2147483648'", () -> decodeValue("<int>2147483648</int>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "'12x'", () -> decodeValue("<int>12x</int>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "'٣'", () -> decodeValue("<int>٣</int>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "'9223372036854775808'",
        () -> decodeValue("<i8>9223372036854775808</i8>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "'true'", () -> decodeValue("<boolean>true</boolean>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "'2'", () -> decodeValue("<boolean>2</boolean>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "'1.5f'", () -> decodeValue("<double>1.5f</double>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "'0x1p3'", () -> decodeValue("<double>0x1p3</double>"));
    String longText = "9".repeat(500);
    XmlRpcCodecException e = assertCodecError(FaultCode.INVALID_REQUEST, "(500 chars)",
        () -> decodeValue("<int>" + longText + "</int>"));
    assertTrue(e.getMessage().length() < 120, e.getMessage());
  }

  @Test
  void structuralErrors() {
    assertCodecError(FaultCode.INVALID_REQUEST, "<float>", () -> decodeValue("<float>1</float>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "more than one type",
        () -> decodeValue("<int>1</int><int>2</int>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "mixed", () -> decodeValue("x<int>1</int>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "<b>", () -> decodeValue("<string>a<b/></string>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "<member>",
        () -> decodeValue("<struct><member><name>a</name></member></struct>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "<value>",
        () -> decodeValue("<array><value>1</value></array>"));
    assertCodecError(FaultCode.INVALID_REQUEST, "<nil> must be empty", () -> decodeValue("<nil>x</nil>"));
  }

  @Test
  void callEnvelope() throws Exception {
    MethodCall call = CODEC.decodeCall(utf8(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- hi --><?app x?>"
            + "<methodCall><methodName> echo </methodName></methodCall>\n<!-- bye -->"));
    assertEquals("echo", call.methodName());
    assertTrue(call.params().isEmpty());
    assertThrows(UnsupportedOperationException.class, () -> call.params().add(1));
    assertEquals(List.of(1), CODEC.decodeCall(utf8("\uFEFF<methodCall><methodName>m</methodName>"
        + "<params><param><value><int>1</int></value></param></params></methodCall>")).params());
    callError(FaultCode.INVALID_REQUEST, "missing <methodName>", "<methodCall><params/></methodCall>");
    callError(FaultCode.INVALID_REQUEST, "empty <methodName>", "<methodCall><methodName> </methodName></methodCall>");
    callError(FaultCode.INVALID_REQUEST, "expected <methodCall> but found <methodResponse>",
        "<methodResponse><params/></methodResponse>");
    callError(FaultCode.INVALID_REQUEST, "<foo>", "<methodCall><methodName>m</methodName><foo/></methodCall>");
    callError(FaultCode.INVALID_REQUEST, "<param> needs one <value>",
        "<methodCall><methodName>m</methodName><params><param/></params></methodCall>");
  }

  @Test
  void responseEnvelope() throws Exception {
    assertNull(CODEC.decodeResponse(utf8("<methodResponse><params/></methodResponse>")).value());
    assertCodecError(FaultCode.INVALID_REQUEST, "one <param>", () -> CODEC.decodeResponse(utf8(
        "<methodResponse><params><param><value>1</value></param><param><value>2</value></param>"
            + "</params></methodResponse>")));
    assertCodecError(FaultCode.INVALID_REQUEST, "needs <params> or <fault>",
        () -> CODEC.decodeResponse(utf8("<methodResponse/>")));
    assertCodecError(FaultCode.INVALID_REQUEST, "expected <methodResponse>",
        () -> CODEC.decodeResponse(utf8("<methodCall><methodName>x</methodName></methodCall>")));
  }

  private static XmlRpcResponse fault(String members) throws XmlRpcCodecException {
    return CODEC.decodeResponse(utf8("<methodResponse><fault><value><struct>" + members
        + "</struct></value></fault></methodResponse>"));
  }

  /** Found by XmlRpcCodecFuzzTest: a base64 faultString became "[B@1b2c3d", different on every decode. */
  @Test
  void faultStringsAreText() throws Exception {
    String code = "<member><name>faultCode</name><value><int>1</int></value></member>";
    String[][] cases = {
        {"<string>boom</string>", "boom"}, {"boom", "boom"}, {"<int>42</int>", "42"}, {"<i8>-5</i8>", "-5"},
        {"<boolean>1</boolean>", "true"}, {"<double>1.5</double>", "1.5"},
        {"<dateTime.iso8601>20240501T10:00:00</dateTime.iso8601>", "2024-05-01T10:00"}, {"<nil/>", ""},
        {"<base64>rO0</base64>", ""}, {"<array><data><value><base64>AA==</base64></value></data></array>", ""},
        {"<struct><member><name>a</name><value>b</value></member></struct>", ""},
    };
    for (String[] c : cases) {
      XmlRpcResponse r = fault(code + "<member><name>faultString</name><value>" + c[0] + "</value></member>");
      assertEquals(new XmlRpcFault(1, c[1]), r.fault(), c[0]);
    }
  }

  @Test
  void faultsIgnoreExtraMembers() throws Exception {
    XmlRpcResponse r = fault("<member><name>faultCode</name><value><int>4</int></value></member>"
        + "<member><name>faultString</name><value><string>Too many params</string></value></member>"
        + "<member><name>faultCause</name><value><base64>rO0ABXNyABNqYXZhLmxhbmcuRXhjZXB0aW9u!!!"
        + "<not-even-valid/></base64></value></member>");
    assertTrue(r.isFault());
    assertEquals(new XmlRpcFault(4, "Too many params"), r.fault());
    XmlRpcResponse missing = fault("<member><name>faultString</name><value>oops</value></member>");
    assertEquals(new XmlRpcFault(FaultCode.INTERNAL_ERROR.code(), "oops"), missing.fault());
    XmlRpcResponse odd = fault("<member><name>faultCode</name><value><string>E42</string></value></member>");
    assertEquals(new XmlRpcFault(FaultCode.INTERNAL_ERROR.code(), ""), odd.fault());
    XmlRpcResponse i8 = fault("<member><name>faultCode</name><value><i8>-32601</i8></value></member>");
    assertEquals(-32601, i8.fault().code());
    assertCodecError(FaultCode.INVALID_REQUEST, "<fault> must contain", () -> CODEC.decodeResponse(
        utf8("<methodResponse><fault><value><int>1</int></value></fault></methodResponse>")));
    assertCodecError(FaultCode.INVALID_REQUEST, "text in <value>", () -> CODEC.decodeResponse(
        utf8("<methodResponse><fault><value>x</value></fault></methodResponse>")));
  }
}
