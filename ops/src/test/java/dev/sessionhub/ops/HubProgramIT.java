package dev.sessionhub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real launcher: {@code sessionhub hub}, two sessions, then {@code ls} and {@code scan} as a user runs them. */
class HubProgramIT {

  @TempDir
  static Path dir;
  private static final List<Process> processes = new ArrayList<>();
  private static String hubUrl;
  private static int base;

  @BeforeAll
  static void startFarm() throws Exception {
    base = FreePorts.range(10);
    int http = FreePorts.one();
    int hz = FreePorts.range(3);
    for (int i = 0; i < 2; i++) {
      processes.add(Launcher.start(dir.resolve("s" + i + ".log"), "session", "--base-port", String.valueOf(base),
          "--max-port", String.valueOf(base + 9), "--app", i == 0 ? "blender" : "maya", "--name", "shot" + i,
          "--port-file", dir.resolve("s" + i + ".port").toString()));
    }
    processes.add(Launcher.start(dir.resolve("hub.log"), "hub", "--http-port", String.valueOf(http),
        "--hz-port", String.valueOf(hz), "--cluster", "it-" + http, "--scan",
        "127.0.0.1:" + base + "-" + (base + 9), "--scan-interval", "1s", "--ready-file",
        dir.resolve("hub.ready").toString()));
    Poll.until(Duration.ofSeconds(90), "hub and sessions ready", () -> Files.exists(dir.resolve("hub.ready"))
        && Files.exists(dir.resolve("s0.port")) && Files.exists(dir.resolve("s1.port")));
    hubUrl = Files.readString(dir.resolve("hub.ready")).trim();
    Poll.until(Duration.ofSeconds(30), "both sessions in the inventory", () -> {
      try {
        Launcher.Result r = Launcher.run(60, "ls", "--hub", hubUrl, "--json");
        return r.exitCode() == 0 && new JsonObject(r.stdout()).getInteger("count") == 2;
      } catch (Exception e) {
        return false;
      }
    });
  }

  @AfterAll
  static void stopFarm() throws Exception {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      p.waitFor();
    }
  }

  @Test
  void lsPrintsATableAndJsonAndFilters() throws Exception {
    Launcher.Result table = Launcher.run(60, "ls", "--hub", hubUrl);
    assertEquals(0, table.exitCode(), table.stderr());
    assertTrue(table.stdout().startsWith("ADDRESS"), table.stdout());
    assertTrue(table.stdout().contains("blender") && table.stdout().contains("maya"), table.stdout());
    assertTrue(table.stdout().contains("2 sessions match '*'"), table.stdout());

    Launcher.Result json = Launcher.run(60, "ls", "app=blender", "--hub", hubUrl, "--json");
    assertEquals(0, json.exitCode(), json.stderr());
    JsonObject listing = new JsonObject(json.stdout());
    assertEquals(1, listing.getInteger("count"));
    assertEquals("shot0", listing.getJsonArray("sessions").getJsonObject(0).getString("name"));
  }

  @Test
  void badSelectorsAndUnreachableHubsAreClearErrors() throws Exception {
    Launcher.Result bad = Launcher.run(60, "ls", "colour=red", "--hub", hubUrl);
    assertEquals(2, bad.exitCode());
    assertTrue(bad.stderr().contains("unknown field 'colour' in 'colour=red'"), bad.stderr());

    Launcher.Result down = Launcher.run(60, "ls", "--hub", "http://127.0.0.1:" + FreePorts.one());
    assertEquals(3, down.exitCode());
    assertTrue(down.stderr().contains("cannot reach the hub at"), down.stderr());
  }

  @Test
  void scanFindsSessionsWithoutAHub() throws Exception {
    Launcher.Result scan = Launcher.run(60, "scan", "127.0.0.1:" + base + "-" + (base + 9), "--json");
    assertEquals(0, scan.exitCode(), scan.stderr());
    JsonObject report = new JsonObject(scan.stdout());
    assertEquals(10, report.getInteger("probed"));
    assertEquals(2, report.getJsonArray("sessions").size());

    Launcher.Result badTarget = Launcher.run(60, "scan", "127.0.0.1:9000-8000");
    assertEquals(2, badTarget.exitCode());
    assertTrue(badTarget.stderr().contains("bad port range '9000-8000'"), badTarget.stderr());
  }
}
