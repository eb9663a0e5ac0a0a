package dev.sessionhub.agent.testing;

import dev.sessionhub.agent.python.PythonAgentFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code blender -b --factory-startup} with the SessionHub add-on installed as a user installs it (the zip
 * the jar builds, through {@code bpy.ops.preferences.addon_install} and {@code addon_enable}) into its own
 * BLENDER_USER_CONFIG and BLENDER_USER_SCRIPTS, serving on a port from the test's range.
 */
public final class BlenderSession implements AutoCloseable {

  private final Process process;
  private final Path dir;
  private final int port;

  private BlenderSession(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Skips the test when Blender is not installed; fails it instead under CI=true (install-test-deps adds it). */
  public static void require() {
    String problem = null;
    try {
      Process p = new ProcessBuilder("blender", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.contains("Blender")) {
        problem = "blender --version said: " + out.strip();
      }
    } catch (IOException e) {
      problem = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    }
    if (problem != null) {
      String message = "Blender is not available (" + problem + "); ops/bin/install-test-deps installs it";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message + ", and CI=true requires it");
      }
      Assumptions.abort(message + ": skipped");
    }
  }

  /**
   * Starts Blender in {@code dir} with the add-on serving on the first free port of {@code [base, max]};
   * {@code settings} adds SESSIONHUB_* variables (SESSIONHUB_HUB, SESSIONHUB_NAME, SESSIONHUB_TAGS, ...).
   */
  public static BlenderSession start(Path dir, int base, int max, Map<String, String> settings) throws Exception {
    return launch(dir, base, max, settings, false);
  }

  /** Skips the test unless {@code xvfb-run} is installed (fails it under CI=true). */
  public static void requireVirtualDisplay() {
    boolean present = Files.isExecutable(Path.of("/usr/bin/xvfb-run"));
    if (!present) {
      String message = "xvfb-run is not installed; ops/bin/install-test-deps installs it (Debian's xvfb)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message + ", and CI=true requires it");
      }
      Assumptions.abort(message + ": skipped");
    }
  }

  /**
   * Starts Blender with its UI on a virtual display ({@code xvfb-run}, Mesa's software renderer): the add-on serves
   * through a {@code bpy.app.timers} timer, as on an artist's desktop.
   */
  public static BlenderSession startWithUi(Path dir, int base, int max, Map<String, String> settings)
      throws Exception {
    return launch(dir, base, max, settings, true);
  }

  private static BlenderSession launch(Path dir, int base, int max, Map<String, String> settings, boolean ui)
      throws Exception {
    Files.createDirectories(dir);
    Path zip = dir.resolve(PythonAgentFiles.BLENDER_ADDON_ZIP);
    Files.write(zip, PythonAgentFiles.blenderAddonZip());
    String scriptName = ui ? "blender_start_ui.py" : "blender_start.py";
    Path script = dir.resolve(scriptName);
    try (InputStream in = BlenderSession.class.getResourceAsStream("/python/" + scriptName)) {
      Files.copy(in, script);
    }
    Path portFile = dir.resolve("agent.port");
    Map<String, String> env = new HashMap<>(settings);
    env.put("BLENDER_USER_CONFIG", dir.resolve("config").toString());
    env.put("BLENDER_USER_SCRIPTS", dir.resolve("scripts").toString());
    env.put("SESSIONHUB_ADDON_ZIP", zip.toString());
    env.put("SESSIONHUB_BASE_PORT", String.valueOf(base));
    env.put("SESSIONHUB_MAX_PORT", String.valueOf(max));
    env.put("SESSIONHUB_PORT_FILE", portFile.toString());
    ProcessBuilder builder = (ui
        ? new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1280x720x24", "blender", "--factory-startup",
            "--python", script.toString())
        : new ProcessBuilder("blender", "-b", "--factory-startup", "--python", script.toString()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("blender.log").toFile()));
    if (ui) {
      env.put("LIBGL_ALWAYS_SOFTWARE", "1");
    }
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      Poll.until(Duration.ofSeconds(90), "Blender's add-on writes its port file",
          () -> Files.exists(portFile) || !process.isAlive());
    } catch (AssertionError e) {
      process.destroyForcibly();
      throw new AssertionError(e.getMessage() + "; Blender's log: " + Files.readString(dir.resolve("blender.log")), e);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException("Blender exited " + process.exitValue() + ": "
          + Files.readString(dir.resolve("blender.log")));
    }
    return new BlenderSession(process, dir, Integer.parseInt(Files.readString(portFile).trim()));
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Blender's output so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("blender.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Waits for Blender (and a virtual display around it) to exit by itself; its exit code. */
  public int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("Blender did not exit within " + within + "; its log: " + log());
    }
    return process.exitValue();
  }

  /** Asks Blender to quit (SIGTERM: the add-on stops serving, deregisters, frees the port); its exit code. */
  public int quit(Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("Blender did not quit within " + within + " of SIGTERM; its log: " + log());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);  // under xvfb-run: Blender and the X server
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
