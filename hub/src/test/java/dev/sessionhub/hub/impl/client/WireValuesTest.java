package dev.sessionhub.hub.impl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireValuesTest {

  @Test
  void longsBecomeIntsWhenTheyFitElseStrings() {
    assertEquals(7, WireValues.value(7L));
    assertEquals(Integer.MIN_VALUE, WireValues.value((long) Integer.MIN_VALUE));
    assertEquals("2147483648", WireValues.value(2147483648L));
    assertEquals("-9223372036854775808", WireValues.value(Long.MIN_VALUE));
    assertEquals(5, WireValues.value(BigInteger.valueOf(5)));
    assertEquals("1" + "0".repeat(30), WireValues.value(BigInteger.TEN.pow(30)));
    assertEquals(3, WireValues.value((short) 3));
    assertEquals(1.5d, WireValues.value(1.5f));
  }

  @Test
  void containersAreConvertedDeeply() {
    Object converted = WireValues.value(Map.of("a", List.of(1L, new Object[] {2L, "x"}),
        "j", new JsonObject().put("n", 3L).put("l", new JsonArray().add(4L))));
    assertEquals(Map.of("a", List.of(1, List.of(2, "x")), "j", Map.of("n", 3, "l", List.of(4))), converted);
  }

  @Test
  void nullsAndUnknownTypesAreRefusedBeforeSending() {
    AgentCallException nul = assertThrows(AgentCallException.class, () -> WireValues.params(Arrays.asList(1, null)));
    assertEquals(AgentCallException.Kind.PROTOCOL, nul.kind());
    assertEquals(AgentCallException.Kind.PROTOCOL,
        assertThrows(AgentCallException.class, () -> WireValues.value(new Object())).kind());
    assertEquals(AgentCallException.Kind.PROTOCOL,
        assertThrows(AgentCallException.class, () -> WireValues.value(Map.of(1, "x"))).kind());
  }
}
