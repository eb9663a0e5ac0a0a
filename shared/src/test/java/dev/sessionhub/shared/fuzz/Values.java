package dev.sessionhub.shared.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares decoded XML-RPC values across an encode/decode round trip.
 *
 * <p>Equal means equal in value and type, except for what the encoder documents as lossy: an {@code <i8>} that
 * fits 32 bits is written back as {@code <int>} (so Integer and Long compare by value), and a date-time is
 * written without its fraction (so date-times compare to the second). Doubles compare with
 * {@link Double#equals}, so NaN equals NaN and -0.0 differs from 0.0.
 */
final class Values {
  private Values() {}

  static void assertSameValue(Object expected, Object actual) {
    if (expected instanceof Integer || expected instanceof Long) {
      assertTrue(actual instanceof Integer || actual instanceof Long, () -> "integer became " + describe(actual));
      assertEquals(((Number) expected).longValue(), ((Number) actual).longValue());
    } else if (expected instanceof LocalDateTime t) {
      assertTrue(actual instanceof LocalDateTime, () -> "date-time became " + describe(actual));
      assertEquals(t.withNano(0), ((LocalDateTime) actual).withNano(0));
    } else if (expected instanceof byte[] bytes) {
      assertTrue(actual instanceof byte[], () -> "base64 became " + describe(actual));
      assertArrayEquals(bytes, (byte[]) actual);
    } else if (expected instanceof List<?> list) {
      assertTrue(actual instanceof List<?>, () -> "array became " + describe(actual));
      List<?> other = (List<?>) actual;
      assertEquals(list.size(), other.size(), "array length");
      for (int i = 0; i < list.size(); i++) {
        assertSameValue(list.get(i), other.get(i));
      }
    } else if (expected instanceof Map<?, ?> map) {
      assertTrue(actual instanceof Map<?, ?>, () -> "struct became " + describe(actual));
      Map<?, ?> other = (Map<?, ?>) actual;
      assertEquals(map.keySet(), other.keySet(), "struct member names");
      Iterator<?> names = other.keySet().iterator();
      for (Map.Entry<?, ?> member : map.entrySet()) {
        assertEquals(member.getKey(), names.next(), "struct member order");
        assertSameValue(member.getValue(), other.get(member.getKey()));
      }
    } else if (expected == null || expected instanceof String || expected instanceof Boolean
        || expected instanceof Double) {
      assertEquals(expected, actual);
    } else {
      fail("the decoder produced an unexpected type: " + describe(expected));
    }
  }

  static String utf8(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  private static String describe(Object v) {
    return v == null ? "null" : v.getClass().getName() + " " + v;
  }
}
