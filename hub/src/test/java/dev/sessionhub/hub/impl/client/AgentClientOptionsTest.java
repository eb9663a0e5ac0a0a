package dev.sessionhub.hub.impl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentClientOptionsTest {

  @Test
  void defaultsAreDocumentedValues() {
    AgentClientOptions o = new AgentClientOptions();
    assertEquals(Duration.ofSeconds(1), o.getConnectTimeout());
    assertEquals(Duration.ofSeconds(3), o.getPollTimeout());
    assertEquals(4 * 1024 * 1024, o.getMaxResponseBytes());
    assertEquals(32, o.getPoolSize());
    assertEquals(10_000, o.getMaxQueued());
    assertNull(o.getToken());
    assertEquals("sessionhub-hub/0.1.0", o.getUserAgent());
  }

  @Test
  void jsonRoundTripKeepsEverythingButTheToken() {
    AgentClientOptions o = new AgentClientOptions().setConnectTimeout(Duration.ofMillis(250))
        .setPollTimeout(Duration.ofMillis(1500)).setMaxResponseBytes(1000).setPoolSize(3).setMaxQueued(7)
        .setToken("s3cret").setUserAgent("probe/1");
    JsonObject json = o.toJson();
    assertFalse(json.encode().contains("s3cret"), "the token is never written");
    assertTrue(json.getBoolean("tokenSet"));
    AgentClientOptions back = new AgentClientOptions(json);
    assertEquals(json.copy().put("tokenSet", false), back.toJson());
    assertNull(back.getToken());
    assertEquals("s3cret", new AgentClientOptions(json.copy().put("token", "s3cret")).getToken());
  }

  @Test
  void copyIsIndependent() {
    AgentClientOptions o = new AgentClientOptions().setPoolSize(5).setToken("t");
    AgentClientOptions copy = new AgentClientOptions(o);
    o.setPoolSize(6);
    assertEquals(5, copy.getPoolSize());
    assertEquals("t", copy.getToken());
  }

  @Test
  void settersRefuseNonsense() {
    AgentClientOptions o = new AgentClientOptions();
    assertThrows(IllegalArgumentException.class, () -> o.setConnectTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> o.setPollTimeout(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> o.setPollTimeout(null));
    assertThrows(IllegalArgumentException.class, () -> o.setMaxResponseBytes(0));
    assertThrows(IllegalArgumentException.class, () -> o.setPoolSize(0));
    assertThrows(IllegalArgumentException.class, () -> o.setMaxQueued(-1));
    assertThrows(IllegalArgumentException.class, () -> o.setToken(""));
    assertThrows(IllegalArgumentException.class, () -> o.setToken("a\r\nX-Injected: 1"));
    assertThrows(IllegalArgumentException.class, () -> o.setUserAgent(" "));
    assertEquals(0, o.setMaxQueued(0).getMaxQueued());
  }
}
