package dev.sessionhub.hub.impl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * CVE-2019-17570 without the second wall: {@link CanaryProbe} runs in a child JVM that has no {@code
 * jdk.serialFilter}, so a deserializing client would run the {@link Canary}'s {@code readObject}. The stock
 * Apache client does (the control, proving the payload works); the hardened one does not.
 */
class FaultCauseIsolationTest {

  @Test
  void theHardenedClientNeverDeserializesAFaultCauseEvenWithoutASerialFilter() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CanaryProbe.class.getName())
        .redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(child.getInputStream()));
    try {
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the probe finishes");
    } finally {
      child.destroyForcibly();
    }
    String text = output.get(10, TimeUnit.SECONDS);
    Map<String, String> seen = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        seen.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    assertEquals("null", seen.get("serialFilter"), text);
    assertEquals("true", seen.get("stock.deserialized"), "control: the stock client deserializes\n" + text);
    assertEquals(Canary.class.getName(), seen.get("stock.thrown"), text);
    assertEquals("FAULT", seen.get("hardened.kind"), text);
    assertEquals("42", seen.get("hardened.code"), text);
    assertEquals("boom", seen.get("hardened.message"), text);
    assertEquals("null", seen.get("hardened.cause"), text);
    assertEquals("false", seen.get("hardened.deserialized"), text);
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "read failed: " + e;
    }
  }
}
