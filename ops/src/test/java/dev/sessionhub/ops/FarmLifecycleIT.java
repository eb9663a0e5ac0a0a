package dev.sessionhub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/bin/farm} typed into a real terminal (tmux), then stopped each way a user stops it: Ctrl-C, Ctrl-C
 * with its output piped to tee, SIGTERM, closing the terminal, and kill -9 of the script. Each time, within 10 s,
 * no process of that farm is left (the script, tee, the hub, the session: every process under the terminal's
 * shell once the farm was running, and anything whose command line names the farm) and its ports bind again.
 */
class FarmLifecycleIT {

  private static final String READY = "farm: running; press Ctrl-C to stop.";
  /** Starting a hub and a session and broadcasting through them; generous for a loaded 2-core machine. */
  private static final Duration START = Duration.ofSeconds(240);
  private static final Duration STOP = Duration.ofSeconds(10);

  @TempDir
  Path dir;
  private TmuxTerminal terminal;
  private final List<ProcessHandle> started = new ArrayList<>();

  @BeforeEach
  void openTerminal() throws Exception {
    if (!TmuxTerminal.available()) {
      String why = "tmux is not installed (ops/bin/install-test-deps installs it): the farm's Ctrl-C cases need a "
          + "real terminal";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    terminal = TmuxTerminal.open(dir, farmScript().getParent());
  }

  @AfterEach
  void closeTerminal() throws Exception {
    try {
      if (terminal != null) {
        terminal.close();
      }
    } finally {
      started.forEach(ProcessHandle::destroyForcibly);  // only after a failure is anything still there
    }
  }

  @Test
  void ctrlCStopsEverythingTheFarmStarted() throws Exception {
    RunningFarm farm = startFarm("");
    terminal.keys("C-c");
    assertNothingLeft(farm);
    assertCleanedUp(farm);
    Poll.until(STOP, "the farm says it stopped", () -> screen().contains("farm: stopped the hub and its sessions."));
  }

  @Test
  void ctrlCStopsEverythingWhenTheOutputIsPipedToTee() throws Exception {
    Path log = dir.resolve("farm.log");
    RunningFarm farm = startFarm(" | tee '" + log + "'");
    terminal.keys("C-c");
    assertNothingLeft(farm);
    assertCleanedUp(farm);
    assertTrue(Files.readString(log, StandardCharsets.UTF_8).contains(READY), "tee got the farm's output");
  }

  @Test
  void sigtermToTheScriptStopsEverythingTheFarmStarted() throws Exception {
    RunningFarm farm = startFarm("");
    assertTrue(farm.script.destroy(), "SIGTERM sent");
    assertNothingLeft(farm);
    assertCleanedUp(farm);
  }

  @Test
  void closingTheTerminalStopsEverythingTheFarmStarted() throws Exception {
    RunningFarm farm = startFarm(" | tee '" + dir.resolve("farm.log") + "'");
    terminal.kill();
    assertNothingLeft(farm);
    assertCleanedUp(farm);
  }

  @Test
  void killMinus9OfTheScriptLeavesNothingRunning() throws Exception {
    RunningFarm farm = startFarm("");
    assertTrue(farm.script.destroyForcibly(), "SIGKILL sent");
    assertNothingLeft(farm);
    // No trap ran, so the run directory stays until the next farm removes it (its owner's pid is gone).
    assertTrue(Files.isDirectory(farm.runDir), "the run directory of a farm killed with -9");
    deleteTree(farm.runDir);
  }

  /** A farm that has printed its ready line: its processes and the ports they hold. */
  private record RunningFarm(ProcessHandle script, List<ProcessHandle> processes, String marker,
      TreeSet<Integer> ports, Path runDir) {
  }

  /** Types the farm's command (one session, free ports) and waits for its ready line. */
  private RunningFarm startFarm(String pipe) throws Exception {
    int http = FreePorts.one();
    int hz = FreePorts.one();
    int base = FreePorts.range(3);
    terminal.type(farmScript() + " --sessions 1 --base-port " + base + " --http-port " + http + " --hz-port " + hz
        + pipe);
    Poll.until(START, "the farm's ready line '" + READY + "'", () -> screen().contains(READY));
    String screen = screen();

    ProcessHandle shell = terminal.shell();
    List<ProcessHandle> processes = shell.descendants().collect(Collectors.toList());
    started.addAll(processes);
    ProcessHandle script = processes.stream().filter(p -> commandLine(p).contains(farmScript().toString()))
        .findFirst().orElseThrow(() -> new AssertionError("no farm script under the terminal's shell"));
    ProcessHandle hub = processes.stream().filter(p -> commandLine(p).contains("sessionhub.jar hub ")).findFirst()
        .orElseThrow(() -> new AssertionError("no hub under the farm: " + describe(processes)));
    // the one session is a real Blender where Blender is installed, a headless Java session elsewhere
    assertEquals(1, processes.stream().filter(p -> commandLine(p).contains("sessionhub.jar session ")
        || commandLine(p).contains("bin/blender-session ")).count(), "one session: " + describe(processes));

    TreeSet<Integer> ports = new TreeSet<>();
    int httpPort = Integer.parseInt(group("--http-port (\\d+)", commandLine(hub)));
    ports.add(httpPort);
    ports.add(Integer.parseInt(group("--hz-port (\\d+)", commandLine(hub))));
    ports.add(Integer.parseInt(group("(?m)^127\\.0\\.0\\.1:(\\d+) +blender ", screen)));  // the farm's ls table
    ports.forEach(p -> assertFalse(FreePorts.isFree(p), "port " + p + " is held while the farm runs"));
    Path runDir = Path.of(group("--ready-file (\\S+)/hub\\.ready", commandLine(hub)));
    assertTrue(Files.isDirectory(runDir), "the farm's run directory " + runDir);
    return new RunningFarm(script, processes, "farm-" + httpPort, ports, runDir);
  }

  /** Within 10 s: every process of the farm has ended, none names it, and its ports bind again. */
  private void assertNothingLeft(RunningFarm farm) {
    long start = System.nanoTime();
    try {
      Poll.until(STOP, "nothing of the farm left", () -> leftOf(farm).isEmpty());
      System.out.printf("%s: nothing left after %d ms%n", farm.marker, (System.nanoTime() - start) / 1_000_000);
    } catch (AssertionError e) {
      throw new AssertionError("left " + STOP.toSeconds() + " s after the farm was stopped: " + leftOf(farm)
          + "\nterminal:\n" + screenOrError(), e);
    }
  }

  /** The farm's exit trap ran to its end: the run directory (logs, ready files) is gone. */
  private static void assertCleanedUp(RunningFarm farm) {
    Poll.until(STOP, "the farm's run directory " + farm.runDir + " removed", () -> !Files.exists(farm.runDir));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private List<String> leftOf(RunningFarm farm) {
    List<String> left = new ArrayList<>();
    farm.processes.stream().filter(ProcessHandle::isAlive).forEach(p -> left.add("process " + describe(p)));
    if (!left.isEmpty()) {
      return left;
    }
    ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(farm.marker)
        || commandLine(p).contains(farmScript().toString())).forEach(p -> left.add("process " + describe(p)));
    farm.ports.stream().filter(p -> !FreePorts.isFree(p)).forEach(p -> left.add("port " + p));
    return left;
  }

  private String screen() {
    try {
      return terminal.screen();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String screenOrError() {
    try {
      return terminal.screen();
    } catch (Exception e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static Path farmScript() {
    return Launcher.script().resolveSibling("farm");
  }

  private static String commandLine(ProcessHandle p) {
    return p.info().commandLine().orElse("");
  }

  private static String describe(ProcessHandle p) {
    String line = commandLine(p);
    return p.pid() + " " + (line.length() > 160 ? line.substring(0, 160) + "..." : line);
  }

  private static String describe(List<ProcessHandle> processes) {
    return processes.stream().map(FarmLifecycleIT::describe).collect(Collectors.joining("; "));
  }

  private static String group(String regex, String text) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no '" + regex + "' in: " + text);
    }
    return m.group(1);
  }
}
