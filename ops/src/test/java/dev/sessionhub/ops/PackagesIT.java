package dev.sessionhub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code mvn package} ships (ops/packaging/build-packages), installed as a user installs it: the release archive
 * unpacked into a folder, and the .deb installed with {@code dpkg -i} (as root with dpkg: required under CI=true,
 * skipped with a message elsewhere). From each, {@code sessionhub --version}, then a hub and a session that find each
 * other and run a command; the .deb is then removed while they run, which must stop them and leave nothing behind.
 */
class PackagesIT {

  private static final Path PACKAGES =
      Path.of(System.getenv().getOrDefault("SESSIONHUB_PACKAGES", "target/packages")).toAbsolutePath();
  private static final boolean CI = "true".equals(System.getenv("CI"));
  private static final Pattern VERSION_LINE = Pattern.compile(
      "sessionhub \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{7}(-dirty)?|unknown), "
          + "built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)\n");
  private static final Path INSTALLED = Path.of("/opt/sessionhub");
  private static final Path COMMAND_LINK = Path.of("/usr/bin/sessionhub");
  private static final Path UNITS = Path.of("/lib/systemd/system");
  private static final List<String> UNIT_FILES = List.of("sessionhub-hub.service", "sessionhub-session@.service");

  @Test
  void theReleaseArchiveRunsAHubAndASessionThatFindEachOther(@TempDir Path dir) throws Exception {
    Path archive = onePackage("sessionhub-*.tar.gz");
    Launcher.Result untar = PackagedCommand.runProcess(120,
        new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString()));
    assertEquals(0, untar.exitCode(), untar.stderr());
    Path home = dir.resolve(archive.getFileName().toString().replace(".tar.gz", ""));
    assertTrue(Files.isExecutable(home.resolve("bin/sessionhub")), "bin/sessionhub");
    assertTrue(Files.isRegularFile(home.resolve("lib/sessionhub.jar")), "lib/sessionhub.jar");
    for (String conf : List.of("sessionhub-hub.service", "sessionhub-session@.service", "hub.env.example",
        "session.env.example", "hazelcast-multihost.yaml")) {
      assertTrue(Files.isRegularFile(home.resolve("conf").resolve(conf)), "conf/" + conf);
    }
    assertTrue(Files.isRegularFile(home.resolve("doc/DEPLOYMENT.md")), "doc/DEPLOYMENT.md");

    PackagedCommand sessionhub = new PackagedCommand(home.resolve("bin/sessionhub").toString());
    assertVersion(sessionhub);
    List<Process> running = new ArrayList<>();
    try {
      hubAndSessionFindEachOther(sessionhub, dir, running);
    } finally {
      stop(running);
    }
  }

  @Test
  void theDebianPackageInstallsRunsAndRemovesCleanly(@TempDir Path dir) throws Exception {
    Path deb = debianPackageToInstall();
    List<Process> running = new ArrayList<>();
    try {
      install(deb);
      assertTrue(Files.isSymbolicLink(COMMAND_LINK), COMMAND_LINK + " links to the installed launcher");
      assertEquals(INSTALLED.resolve("bin/sessionhub"), COMMAND_LINK.toRealPath());
      for (String unit : UNIT_FILES) {
        String text = Files.readString(UNITS.resolve(unit));
        assertTrue(text.contains("ExecStart=" + INSTALLED.resolve("bin/sessionhub") + " "), unit + ":\n" + text);
      }
      assertTrue(Files.isRegularFile(INSTALLED.resolve("conf/hub.env.example")), "conf/hub.env.example");
      assertTrue(Files.isRegularFile(INSTALLED.resolve("doc/DEPLOYMENT.md")), "doc/DEPLOYMENT.md");
      Launcher.Result user = PackagedCommand.runProcess(30, new ProcessBuilder("getent", "passwd", "sessionhub"));
      assertEquals(0, user.exitCode(), "the units' user 'sessionhub' exists");

      // "sessionhub" as a user types it: found on PATH.
      PackagedCommand sessionhub = new PackagedCommand("sessionhub");
      assertVersion(sessionhub);
      hubAndSessionFindEachOther(sessionhub, dir, running);
      for (Process p : running) {
        assertEquals(INSTALLED.resolve("lib/runtime/bin/java"), Path.of("/proc", String.valueOf(p.pid()), "exe")
            .toRealPath(), "runs on the package's own Java runtime");
      }

      // Removing the package while they run: prerm stops them (SIGTERM), then nothing of it is left.
      for (Process p : running) {
        assertTrue(p.isAlive(), "still running before the removal: " + p.info().commandLine());
      }
      Launcher.Result remove = PackagedCommand.runProcess(120, new ProcessBuilder("dpkg", "-r", "sessionhub"));
      assertEquals(0, remove.exitCode(), remove.stdout() + remove.stderr());
      assertTrue(remove.stderr().contains("stopping processes still running from the package"), remove.stderr());
      for (Process p : running) {
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the package's removal stopped " + p.info().commandLine());
      }
      assertEquals(List.of(), processesOfThePackage(), "processes still running from " + INSTALLED);
      assertFalse(Files.exists(COMMAND_LINK, LinkOption.NOFOLLOW_LINKS), COMMAND_LINK + " is gone");
      Launcher.Result gone = PackagedCommand.runProcess(30, new ProcessBuilder("sh", "-c", "command -v sessionhub"));
      assertNotEquals(0, gone.exitCode(), "no sessionhub command left: " + gone.stdout());
      for (String unit : UNIT_FILES) {
        assertFalse(Files.exists(UNITS.resolve(unit)), unit + " is gone");
      }
      assertFalse(Files.exists(INSTALLED), INSTALLED + " is gone");
    } finally {
      stop(running);
      purgeIfInstalled();
    }
  }

  /** --version and a subcommand's -V: the same line, version and commit of this build. */
  private static void assertVersion(PackagedCommand sessionhub) throws Exception {
    Launcher.Result version = sessionhub.run(60, "--version");
    assertEquals(0, version.exitCode(), version.stderr());
    assertTrue(VERSION_LINE.matcher(version.stdout()).matches(), version.stdout());
    Launcher.Result hubVersion = sessionhub.run(60, "hub", "-V");
    assertEquals(version.stdout(), hubVersion.stdout());
  }

  /** A hub, a session announced to it (ports chosen now), `ls` lists the session and `send` runs Python in it. */
  private static void hubAndSessionFindEachOther(PackagedCommand sessionhub, Path dir, List<Process> running)
      throws Exception {
    int http = FreePorts.one();
    int hz = FreePorts.range(3);
    int base = FreePorts.range(5);
    Path ready = dir.resolve("hub.ready");
    Path hubLog = dir.resolve("hub.log");
    Process hub = sessionhub.start(hubLog, "hub", "--http-port", String.valueOf(http), "--hz-port",
        String.valueOf(hz), "--cluster", "packages-" + http, "--ready-file", ready.toString());
    running.add(hub);
    until(Duration.ofSeconds(120), "the hub is ready", () -> Files.exists(ready) || !hub.isAlive(), hubLog);
    assertTrue(hub.isAlive(), "hub ended:\n" + Files.readString(hubLog));
    String hubUrl = Files.readString(ready).trim();

    Path port = dir.resolve("session.port");
    Path sessionLog = dir.resolve("session.log");
    Process session = sessionhub.start(sessionLog, "session", "--base-port", String.valueOf(base), "--max-port",
        String.valueOf(base + 4), "--name", "packaged", "--app", "packaged-app", "--hub", hubUrl,
        "--port-file", port.toString());
    running.add(session);
    until(Duration.ofSeconds(90), "the hub lists the session", () -> {
      try {
        Launcher.Result ls = sessionhub.run(60, "ls", "app=packaged-app", "--hub", hubUrl, "--json");
        return ls.exitCode() == 0 && new JsonObject(ls.stdout()).getInteger("count") == 1;
      } catch (Exception e) {
        return false;
      }
    }, hubLog, sessionLog);
    Launcher.Result send = sessionhub.run(60, "send", "packaged", "print(6 * 7)", "--hub", hubUrl);
    assertEquals(0, send.exitCode(), send.stderr());
    assertEquals("42\n", send.stdout());
  }

  private static void until(Duration deadline, String what, BooleanSupplier condition, Path... logs)
      throws IOException {
    try {
      Poll.until(deadline, what, condition);
    } catch (AssertionError e) {
      StringBuilder text = new StringBuilder(e.getMessage());
      for (Path log : logs) {
        text.append("\n--- ").append(log.getFileName()).append(":\n").append(Files.readString(log));
      }
      throw new AssertionError(text.toString(), e);
    }
  }

  private static void stop(List<Process> running) throws InterruptedException {
    for (Process p : running) {
      p.destroy();
    }
    for (Process p : running) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static Path onePackage(String glob) throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(PACKAGES)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(PACKAGES, glob)) {
        files.forEach(found::add);
      }
    }
    assertEquals(1, found.size(), "one " + glob + " in " + PACKAGES + " (built by mvn package): " + found);
    return found.get(0);
  }

  /** The .deb, when this machine can install it; else skipped with the reason, or a failure under CI=true. */
  private static Path debianPackageToInstall() throws Exception {
    String why = null;
    Launcher.Result uid = PackagedCommand.runProcess(30, new ProcessBuilder("id", "-u"));
    boolean hasDpkg = PackagedCommand.runProcess(30, new ProcessBuilder("sh", "-c", "command -v dpkg")).exitCode()
        == 0;
    if (!"0".equals(uid.stdout().trim())) {
      why = "not running as root";
    } else if (!hasDpkg) {
      why = "no dpkg on this machine";
    } else if (installedStatus().contains(" installed")) {
      why = "a sessionhub package is installed here already; this test leaves it alone";
    } else {
      try (Stream<Path> files = Files.isDirectory(PACKAGES) ? Files.list(PACKAGES) : Stream.empty()) {
        if (files.noneMatch(f -> f.getFileName().toString().endsWith(".deb"))) {
          why = "no .deb in " + PACKAGES + " (the build says why: fakeroot or jpackage missing?)";
        }
      }
    }
    if (why != null) {
      if (CI) {
        fail("the .deb must be installed and tested under CI=true, but: " + why);
      }
      Assumptions.abort("skipped installing the .deb: " + why);
    }
    return onePackage("sessionhub_*.deb");
  }

  /** dpkg -i, retried while another dpkg or apt holds the lock (other work on this machine). */
  private static void install(Path deb) {
    Poll.until(Duration.ofSeconds(180), "dpkg -i " + deb, () -> {
      try {
        Launcher.Result r = PackagedCommand.runProcess(180, new ProcessBuilder("dpkg", "-i", deb.toString()));
        if (r.exitCode() != 0 && !r.stderr().contains("lock")) {
          throw new AssertionError("dpkg -i failed:\n" + r.stdout() + r.stderr());
        }
        return r.exitCode() == 0;
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    });
  }

  private static String installedStatus() throws Exception {
    return PackagedCommand.runProcess(30,
        new ProcessBuilder("dpkg-query", "-W", "-f=${Status}", "sessionhub")).stdout();
  }

  private static void purgeIfInstalled() throws Exception {
    if (!installedStatus().isBlank()) {
      Launcher.Result purge = PackagedCommand.runProcess(120, new ProcessBuilder("dpkg", "-P", "sessionhub"));
      assertEquals(0, purge.exitCode(), "dpkg -P sessionhub: " + purge.stdout() + purge.stderr());
    }
  }

  /** Processes whose executable lies in the installed package (its Java runtime), by pid. */
  private static List<Long> processesOfThePackage() {
    List<Long> found = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      try {
        Path exe = Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "exe"));
        if (exe.startsWith(INSTALLED)) {
          found.add(p.pid());
        }
      } catch (IOException | UnsupportedOperationException e) {
        // ended meanwhile, or a kernel thread: not one of the package's
      }
    });
    return found;
  }
}
