package dev.sessionhub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.RawHttp;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sessionhub session} as a real process: port file, serving, SIGTERM frees the port; flag errors. */
class SessionProgramIT {

  private final XmlRpcCodec codec = XmlRpcCodec.withDefaults();

  @Test
  void aSessionWritesItsPortServesAndFreesThePortOnSigterm(@TempDir Path dir) throws Exception {
    int base = FreePorts.range(5);
    Path portFile = dir.resolve("session.port");
    Process session = Launcher.start(dir.resolve("session.log"), "session", "--base-port", String.valueOf(base),
        "--max-port", String.valueOf(base + 4), "--name", "lighting", "--tag", "show=abc", "--app", "maya",
        "--port-file", portFile.toString());
    try {
      Poll.until(Duration.ofSeconds(60), "the port file is written", () -> Files.exists(portFile));
      int port = Integer.parseInt(Files.readString(portFile).trim());
      assertEquals(base, port);
      @SuppressWarnings("unchecked")
      Map<String, Object> data = (Map<String, Object>) codec.decodeResponse(
          RawHttp.post(port, "/RPC2", codec.encodeCall("server_data", List.of())).body()).value();
      assertEquals("maya", data.get("app"));
      assertEquals(Map.of("show", "abc", "name", "lighting"), data.get("tags"));
      assertEquals((int) session.pid(), data.get("pid"));
      session.destroy();
      assertTrue(session.waitFor(20, TimeUnit.SECONDS), "the session exits on SIGTERM");
      assertTrue(FreePorts.isFree(port), "port " + port + " is free once the session has exited");
    } finally {
      session.destroyForcibly();
    }
  }

  @Test
  void aTokenFlagNeverShowsInTheProcessListButStillGuardsTheSession(@TempDir Path dir) throws Exception {
    String token = "ps-secret-" + System.nanoTime();
    int base = FreePorts.range(2);
    Path portFile = dir.resolve("session.port");
    Process session = Launcher.start(dir.resolve("session.log"), "session", "--token", token, "--base-port",
        String.valueOf(base), "--max-port", String.valueOf(base + 1), "--port-file", portFile.toString());
    try {
      Poll.until(Duration.ofSeconds(60), "the port file is written", () -> Files.exists(portFile));
      int port = Integer.parseInt(Files.readString(portFile).trim());
      String cmdline = Files.readString(Path.of("/proc/" + session.pid() + "/cmdline")).replace('\0', ' ');
      assertTrue(cmdline.contains("session"), cmdline);
      assertTrue(!cmdline.contains(token), "the token is not in the process's arguments: " + cmdline);
      byte[] call = codec.encodeCall("server_data", List.of());
      assertEquals(401, RawHttp.post(port, "/RPC2", call).status());
      assertEquals(200, RawHttp.post(port, "/RPC2", call, "Authorization: Bearer " + token).status());
    } finally {
      session.destroy();
      session.waitFor(20, TimeUnit.SECONDS);
      session.destroyForcibly();
    }
  }

  @Test
  void aSessionWarmsItsPythonBeforeItsFirstCommandUnlessToldNotTo(@TempDir Path dir) throws Exception {
    int base = FreePorts.range(4);
    Path warmPort = dir.resolve("warm.port");
    Path coldPort = dir.resolve("cold.port");
    Process warm = Launcher.start(dir.resolve("warm.log"), "session", "--base-port", String.valueOf(base),
        "--max-port", String.valueOf(base + 3), "--port-file", warmPort.toString());
    Process cold = Launcher.start(dir.resolve("cold.log"), "session", "--base-port", String.valueOf(base),
        "--max-port", String.valueOf(base + 3), "--port-file", coldPort.toString(), "--python-warmup", "off");
    try {
      Poll.until(Duration.ofSeconds(60), "both port files", () -> Files.exists(warmPort) && Files.exists(coldPort));
      int hot = Integer.parseInt(Files.readString(warmPort).trim());
      int off = Integer.parseInt(Files.readString(coldPort).trim());
      Poll.until(Duration.ofSeconds(90), "the session's Python is ready without a command",
          () -> Boolean.TRUE.equals(status(hot).getBoolean("python_ready")));
      assertEquals(0, status(hot).getInteger("commands"));
      assertEquals("cold", status(off).getString("python"), "--python-warmup off leaves it to the first command");
      for (int port : new int[] {hot, off}) {
        assertEquals("1\n", codec.decodeResponse(RawHttp.post(port, "/RPC2",
            codec.encodeCall("command", List.of("print(1)"))).body()).value());
        assertEquals("ready", status(port).getString("python"));
      }
    } finally {
      for (Process p : List.of(warm, cold)) {
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
        p.destroyForcibly();
      }
    }
  }

  private static JsonObject status(int port) {
    try {
      return new JsonObject(RawHttp.get(port, "/status").text());
    } catch (Exception e) {
      throw new AssertionError("GET /status on " + port, e);
    }
  }

  @Test
  void badFlagsAndUnsafeTokensAreClearErrors(@TempDir Path dir) throws Exception {
    Launcher.Result open = Launcher.run(60, "session", "--bind", "0.0.0.0", "--port-file",
        dir.resolve("x").toString());
    assertEquals(2, open.exitCode(), open.stderr());
    assertTrue(open.stderr().contains("exposes the session beyond this machine: set a token"), open.stderr());

    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    Launcher.Result readable = Launcher.run(60, "session", "--token-file", token.toString());
    assertEquals(2, readable.exitCode(), readable.stderr());
    assertTrue(readable.stderr().contains("is readable by others (rw-r--r--): chmod 600 it"), readable.stderr());

    Launcher.Result badPort = Launcher.run(60, "session", "--base-port", "99999");
    assertTrue(badPort.exitCode() != 0);
    assertTrue(badPort.stderr().contains("base port 99999 is outside 1-65535"), badPort.stderr());

    Launcher.Result badWarmup = Launcher.run(60, "session", "--python-warmup", "sometimes");
    assertEquals(2, badWarmup.exitCode(), badWarmup.stderr());
    assertTrue(badWarmup.stderr().contains("--python-warmup (or SESSIONHUB_PYTHON_WARMUP) must be on or off, got "
        + "'sometimes'"), badWarmup.stderr());
  }
}
