package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session SessionHub did not write (the Blender add-on's server, in python3) is found and selectable. */
class ForeignSessionTest {

  private static Process blender;
  private static HubCluster cluster;
  private static int port;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    int base = FreePorts.range(5);
    port = base + 2;
    Path script = dir.resolve("blender_addon_server.py");
    try (InputStream in = ForeignSessionTest.class.getResourceAsStream("/python/blender_addon_server.py")) {
      Files.copy(in, script);
    }
    blender = new ProcessBuilder("python3", script.toString(), String.valueOf(port)).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(blender.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    assertTrue(first != null && first.startsWith("listening"), "python server started: " + first);
    cluster = HubCluster.start(1, o -> o.addScanTarget("127.0.0.1:" + base + "-" + (base + 4))
        .setScanInterval(Duration.ofMillis(400)).setLease(Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    blender.destroy();
  }

  @Test
  void theBlenderAddOnIsFoundAndSelectableByAppOrExe() {
    String hub = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "the add-on session is found", () -> HubApi.count(hub, "app=blender") == 1);
    assertEquals(1, HubApi.count(hub, "exe=blender"));
    assertEquals(1, HubApi.count(hub, "object=Cube file=*sh010*"));
    JsonObject session = HubApi.sessions(hub, "exe=blender").getJsonArray("sessions").getJsonObject(0);
    assertEquals("127.0.0.1:" + port, session.getString("address"));
    assertEquals("blender", session.getString("app"), "app falls back to exe for foreign agents");
    assertEquals("2.83.5", session.getString("app_version"));
    assertEquals((int) blender.pid(), session.getInteger("pid"));
    assertEquals(port, session.getInteger("port"), "the port comes from the address when the agent omits it");
    assertEquals("scan", session.getString("source"));
  }
}
