package dev.sessionhub.shared.xmlrpc;

import static dev.sessionhub.shared.xmlrpc.Fixtures.CODEC;
import static dev.sessionhub.shared.xmlrpc.Fixtures.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encode-then-decode round trips for every supported type. */
class RoundTripTest {

  @Test
  void scalarsKeepTypeAndValue() throws Exception {
    assertEquals(42, roundTrip(42));
    assertEquals(Integer.MIN_VALUE, roundTrip(Integer.MIN_VALUE));
    assertEquals(Integer.MAX_VALUE, roundTrip(Integer.MAX_VALUE));
    assertEquals(Boolean.TRUE, roundTrip(true));
    assertEquals(Boolean.FALSE, roundTrip(false));
    assertEquals(2.5, roundTrip(2.5));
    assertEquals(-0.1, roundTrip(-0.1));
    assertEquals(1e300, roundTrip(1e300));
    assertEquals(Double.MIN_VALUE, roundTrip(Double.MIN_VALUE));
    assertEquals("plain", roundTrip("plain"));
    assertEquals("", roundTrip(""));
    assertNull(roundTrip(null));
  }

  @Test
  void nonFiniteDoubles() throws Exception {
    assertTrue(Double.isNaN((Double) roundTrip(Double.NaN)));
    assertEquals(Double.POSITIVE_INFINITY, roundTrip(Double.POSITIVE_INFINITY));
    assertEquals(Double.NEGATIVE_INFINITY, roundTrip(Double.NEGATIVE_INFINITY));
  }

  @Test
  void longsUseI8OnlyOutsideIntRange() throws Exception {
    assertEquals(7, roundTrip(7L), "small long comes back as int");
    assertEquals(Long.MAX_VALUE, roundTrip(Long.MAX_VALUE));
    assertEquals(Long.MIN_VALUE, roundTrip(Long.MIN_VALUE));
    assertEquals(1L << 40, roundTrip(1L << 40));
    assertEquals(2147483648L, roundTrip(2147483648L));
    assertEquals(-2147483649L, roundTrip(-2147483649L));
    assertInstanceOf(Long.class, roundTrip(1L << 40));
  }

  @Test
  void unicodeAndWhitespaceSurvive() throws Exception {
    String s = "Ωmega 東京 🎬 Ünïcödé";
    assertEquals(s, roundTrip(s));
    String ws = "a\r\nb\rc\nd\te  \r\n  ";
    assertEquals(ws, roundTrip(ws), "CR, LF, tab and surrounding blanks are preserved");
    assertEquals("  padded  ", roundTrip("  padded  "));
    String markup = "<a href=\"x\">&amp; ]]> 'q'</a>";
    assertEquals(markup, roundTrip(markup));
  }

  @Test
  void base64Bytes() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    assertArrayEquals(all, (byte[]) roundTrip(all));
    assertArrayEquals(new byte[0], (byte[]) roundTrip(new byte[0]));
    byte[] big = new byte[10_000];
    Arrays.fill(big, (byte) 0x5A);
    String xml = Fixtures.text(CODEC.encodeResponse(big));
    String encoded = xml.substring(xml.indexOf("<base64>"), xml.indexOf("</base64>"));
    assertFalse(encoded.contains("\n") || encoded.contains("\r"), "no line breaks inside base64");
    assertArrayEquals(big, (byte[]) roundTrip(big));
  }

  @Test
  void dateTimeDropsOnlySubSeconds() throws Exception {
    LocalDateTime t = LocalDateTime.of(1998, 7, 17, 14, 8, 55);
    assertEquals(t, roundTrip(t));
    assertEquals(t, roundTrip(t.withNano(123_000_000)));
    LocalDateTime early = LocalDateTime.of(5, 1, 2, 3, 4, 5);
    assertEquals(early, roundTrip(early));
  }

  @Test
  void nestedStructsAndArraysKeepOrderAndTypes() throws Exception {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", List.of("x", 2.5));
    inner.put("nil", null);
    inner.put("m", Map.of("deep", List.of(List.of(true))));
    List<Object> outer = new ArrayList<>();
    outer.add(inner);
    outer.add(new ArrayList<>());
    outer.add(new LinkedHashMap<>());
    outer.add(null);
    outer.add(1L << 33);
    Object back = roundTrip(outer);
    assertEquals(outer, back);
    @SuppressWarnings("unchecked")
    Map<String, Object> backInner = (Map<String, Object>) ((List<?>) back).get(0);
    assertEquals(List.of("z", "a", "nil", "m"), new ArrayList<>(backInner.keySet()));
    assertInstanceOf(LinkedHashMap.class, backInner);
    assertInstanceOf(ArrayList.class, ((List<?>) back).get(1));
  }

  @Test
  void callRoundTripKeepsNameAndParams() throws Exception {
    List<Object> params = Arrays.asList(1, "two", null, List.of(3), Map.of("k", "v"));
    MethodCall call = CODEC.decodeCall(CODEC.encodeCall("system.do_it", params));
    assertEquals("system.do_it", call.methodName());
    assertEquals(params, call.params());
    MethodCall none = CODEC.decodeCall(CODEC.encodeCall("ping", null));
    assertEquals("ping", none.methodName());
    assertTrue(none.params().isEmpty());
  }

  @Test
  void faultRoundTrip() throws Exception {
    XmlRpcResponse r = CODEC.decodeResponse(CODEC.encodeFault(FaultCode.SESSION_BUSY, "busy <now> & \r\n 東京"));
    assertTrue(r.isFault());
    assertNull(r.value());
    assertEquals(new XmlRpcFault(-32001, "busy <now> & \r\n 東京"), r.fault());
    XmlRpcResponse custom = CODEC.decodeResponse(CODEC.encodeFault(new XmlRpcFault(77, "x")));
    assertEquals(new XmlRpcFault(77, "x"), custom.fault());
  }

  @Test
  void nestingAtTheLimitRoundTrips() throws Exception {
    Object value = "leaf";
    for (int i = 0; i < CodecLimits.DEFAULT_MAX_DEPTH; i++) {
      value = List.of(value);
    }
    assertEquals(value, roundTrip(value));
  }

  @Test
  void oneCodecIsSafeToShareAcrossThreads() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        final int id = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            List<Object> params = List.of(id, "thread-" + id + "-" + i, Map.of("i", i));
            MethodCall call = CODEC.decodeCall(CODEC.encodeCall("m" + id, params));
            if (!call.methodName().equals("m" + id) || !call.params().equals(params)) {
              return false;
            }
          }
          return true;
        }));
      }
      for (java.util.concurrent.Future<Boolean> result : results) {
        assertTrue(result.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
