package dev.sessionhub.shared.xmlrpc;

import static dev.sessionhub.shared.xmlrpc.Fixtures.CODEC;
import static dev.sessionhub.shared.xmlrpc.Fixtures.roundTrip;
import static dev.sessionhub.shared.xmlrpc.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The exact wire form chosen for each Java type, and that encoding never throws. */
class EncodeTest {

  /** The XML between the response's {@code <value>} tags. */
  private static String wire(Object value) {
    String xml = text(CODEC.encodeResponse(value));
    int start = xml.indexOf("<param><value>") + "<param><value>".length();
    return xml.substring(start, xml.lastIndexOf("</value></param>"));
  }

  @Test
  void documentLayout() {
    String xml = text(CODEC.encodeResponse(1));
    assertTrue(xml.startsWith("<?xml version=\"1.0\"?>\n<methodResponse>"), xml);
    String call = text(CODEC.encodeCall("a&b", List.of()));
    assertTrue(call.contains("<methodName>a&amp;b</methodName>"), call);
    String fault = text(CODEC.encodeFault(FaultCode.NOT_FOUND, "no <such>"));
    assertTrue(fault.contains("<name>faultCode</name><value><int>-32004</int></value>"), fault);
    assertTrue(fault.contains("<name>faultString</name><value><string>no &lt;such&gt;</string>"), fault);
  }

  @Test
  void numbers() {
    assertEquals("<int>5</int>", wire((short) 5));
    assertEquals("<int>-3</int>", wire((byte) -3));
    assertEquals("<int>2147483647</int>", wire(2147483647L));
    assertEquals("<i8>2147483648</i8>", wire(2147483648L));
    assertEquals("<int>12</int>", wire(BigInteger.valueOf(12)));
    assertEquals("<i8>9223372036854775807</i8>", wire(BigInteger.valueOf(Long.MAX_VALUE)));
    assertEquals("<double>0.1</double>", wire(0.1f));
    assertEquals("<double>1.25</double>", wire(new BigDecimal("1.25")));
    assertEquals("<double>nan</double>", wire(Float.NaN));
    assertEquals("<double>inf</double>", wire(Double.POSITIVE_INFINITY));
    assertEquals("<double>-inf</double>", wire(Double.NEGATIVE_INFINITY));
    assertEquals("<boolean>1</boolean>", wire(true));
  }

  @Test
  void textEscapingAndIllegalCharacters() throws Exception {
    assertEquals("<string>a&amp;b&lt;c&gt;d&#13;\n\te</string>", wire("a&b<c>d\r\n\te"));
    assertEquals("<string>x</string>", wire('x'));
    assertEquals("<string>sb</string>", wire(new StringBuilder("sb")));
    String bad = "a\u0000b\u0001c\u001Fd\uD800e\uDC00f\uFFFEg\uFFFF";
    assertEquals("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFD", roundTrip(bad));
    assertEquals("\uFFFD", roundTrip("\uD83C"), "trailing lone high surrogate");
    assertEquals("🎬\uFFFD", roundTrip("🎬\uDC00"));
  }

  enum Color { RED }

  @Test
  void otherTypes() throws Exception {
    assertEquals("<nil/>", wire(null));
    assertEquals("<string>RED</string>", wire(Color.RED));
    assertEquals("<int>3</int>", wire(Optional.of(3)));
    assertEquals("<nil/>", wire(Optional.empty()));
    assertEquals("<string>5 SECONDS</string>", wire(new Object() {
      @Override
      public String toString() {
        return "5 " + TimeUnit.SECONDS;
      }
    }));
    assertEquals("<base64>AQL/</base64>", wire(new byte[] {1, 2, -1}));
    assertEquals(List.of(1, 2), roundTrip(new int[] {1, 2}));
    assertEquals(List.of(1, 2L << 40), roundTrip(new long[] {1, 2L << 40}));
    assertEquals(List.of(true, false), roundTrip(new boolean[] {true, false}));
    assertEquals(List.of("a", "b"), roundTrip(new char[] {'a', 'b'}));
    assertEquals(List.of(0.5), roundTrip(new double[] {0.5}));
    assertEquals(List.of("x", 1), roundTrip(new Object[] {"x", 1}));
    Map<Object, Object> keys = new LinkedHashMap<>();
    keys.put(1, "one");
    keys.put(null, "nothing");
    assertEquals(Map.of("1", "one", "null", "nothing"), roundTrip(keys));
  }

  @Test
  void timesAreWrittenInUtcCompactForm() {
    Instant instant = Instant.parse("1998-07-17T14:08:55.900Z");
    assertEquals("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>", wire(instant));
    assertEquals("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>",
        wire(Date.from(instant)));
    assertEquals("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>",
        wire(new java.sql.Date(instant.toEpochMilli())));
    assertEquals("<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>",
        wire(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 999)));
    assertEquals("<string>" + Instant.MAX + "</string>", wire(Instant.MAX));
  }

  @Test
  void selfReferenceAndDepthAreCapped() throws Exception {
    List<Object> self = new ArrayList<>();
    self.add(self);
    self.add(self);
    self.add("end");
    assertEquals(List.of(ValueWriter.RECURSIVE, ValueWriter.RECURSIVE, "end"), roundTrip(self));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("me", map);
    assertEquals(Map.of("me", ValueWriter.RECURSIVE), roundTrip(map));

    Object deep = "leaf";
    for (int i = 0; i < 1000; i++) {
      deep = List.of(deep);
    }
    Object back = roundTrip(deep);
    for (int i = 0; i < CodecLimits.DEFAULT_MAX_DEPTH; i++) {
      back = ((List<?>) back).get(0);
    }
    assertEquals(ValueWriter.TOO_DEEP, back);
  }

  @Test
  void throwingValuesAreReplacedNotPropagated() throws Exception {
    Object evil = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("boom");
      }
    };
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", 1);
    m.put("bad", evil);
    @SuppressWarnings("unchecked")
    Map<String, Object> back = (Map<String, Object>) roundTrip(m);
    assertEquals(1, back.get("ok"));
    assertTrue(((String) back.get("bad")).startsWith("<unencodable "), back.toString());

    List<Object> brokenList = new ArrayList<>() {
      @Override
      public java.util.Iterator<Object> iterator() {
        throw new java.util.ConcurrentModificationException();
      }
    };
    assertTrue(((String) roundTrip(brokenList)).contains("ConcurrentModificationException"));
    assertTrue(text(CODEC.encodeCall(null, null)).contains("<methodName></methodName>"));
    assertEquals(FaultCode.INTERNAL_ERROR.code(),
        CODEC.decodeResponse(CODEC.encodeFault((XmlRpcFault) null)).fault().code());
  }
}
