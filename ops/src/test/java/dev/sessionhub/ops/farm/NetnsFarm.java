package dev.sessionhub.ops.farm;

import dev.sessionhub.ops.Launcher;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test farm of network namespaces made by {@code ops/netns/netns-farm.sh}: slots 1..N are hosts at
 * {@code 10.213.X.101..}, each with its own network stack, joined by a bridge in a namespace of their own; dead
 * slots are addresses where connects time out. Programs run on a host through {@code ip netns exec} (which execs,
 * so a {@link Process} here is the program itself and {@code destroyForcibly()} is a real {@code kill -9}).
 * {@link #close()} removes every namespace and process the farm made; a JVM shutdown hook does it too if a test
 * run is interrupted, and {@code netns-farm.sh reap} removes farms whose owner died harder than that.
 */
public final class NetnsFarm implements AutoCloseable {

  /** The outcome of a command run to completion. */
  public record Result(int exitCode, String stdout, String stderr) {
  }

  private final String id;
  private final String net;
  private final int slots;
  private final Thread cleanup;
  private final List<Process> processes = new ArrayList<>();
  private boolean closed;

  private NetnsFarm(String id, String net, int slots) {
    this.id = id;
    this.net = net;
    this.slots = slots;
    this.cleanup = new Thread(this::down, "netns-farm-cleanup-" + id);
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  public static Path script() {
    Path fromModule = Path.of("netns", "netns-farm.sh").toAbsolutePath();
    return Files.isExecutable(fromModule) ? fromModule : Path.of("ops", "netns", "netns-farm.sh").toAbsolutePath();
  }

  /**
   * Skips the calling test (a JUnit assumption) when this machine cannot make namespaces: not root, no
   * {@code ip netns}. Under CI ({@code CI=true}) that is a failure instead: there the farm tests must run.
   */
  public static void assumeAvailable() {
    Result r = runScript(30, "available");
    String why = "network-namespace farm unavailable: " + (r.stdout() + r.stderr()).trim()
        + " (these tests need root and iproute2; ops/bin/install-test-deps installs iproute2)";
    if (r.exitCode() != 0 && "true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(why + "; under CI=true they must run");
    }
    Assumptions.assumeTrue(r.exitCode() == 0, why);
  }

  /** Builds a farm of {@code slots} addresses, {@code dead} of them dead (slot numbers); removes orphans first. */
  public static NetnsFarm up(int slots, int... dead) {
    runScript(60, "reap");
    StringBuilder deadList = new StringBuilder();
    for (int d : dead) {
      deadList.append(deadList.length() == 0 ? "" : ",").append(d);
    }
    Result r = runScript(120, "up", "--slots", String.valueOf(slots), "--dead", deadList.toString(), "--owner",
        String.valueOf(ProcessHandle.current().pid()));
    if (r.exitCode() != 0) {
      throw new IllegalStateException("netns-farm.sh up failed: " + r.stderr());
    }
    String id = r.stdout().trim();
    String net = null;
    try {
      for (String line : Files.readAllLines(Path.of("/run/sessionhub-netns", id, "farm.env"))) {
        if (line.startsWith("FARM_NET=")) {
          net = line.substring("FARM_NET=".length());
        }
      }
    } catch (IOException e) {
      runScript(60, "down", id);
      throw new IllegalStateException("farm " + id + " has no description", e);
    }
    return new NetnsFarm(id, net, slots);
  }

  public String id() {
    return id;
  }

  /** The first three octets of the farm's subnet, e.g. {@code 10.213.42}. */
  public String net() {
    return net;
  }

  public String address(int slot) {
    return net + "." + (100 + slot);
  }

  /** A scan target covering every slot: {@code 10.213.X.101-(100+N):PORTS}. */
  public String target(String ports) {
    return net + ".101-" + (100 + slots) + ":" + ports;
  }

  public String namespace(int slot) {
    return id + "-h" + slot;
  }

  /**
   * Starts {@code ops/bin/sessionhub ARGS} on host {@code slot}; output appended to {@code log} (a restarted
   * program keeps its predecessor's lines); stopped by close().
   */
  public synchronized Process start(int slot, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(slot),
        Launcher.script().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // the program stops itself when this JVM is gone (a killed test run leaves no hub or session behind)
    builder.environment().put("SESSIONHUB_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  /** Runs a command on host {@code slot} to completion (at most {@code seconds}), stdin from {@code input}. */
  public Result exec(int slot, int seconds, String input, String... command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace(slot)));
    all.addAll(List.of(command));
    return run(all, seconds, input);
  }

  public void cut(int slot) {
    check(runScript(30, "cut", id, String.valueOf(slot)));
  }

  public void restore(int slot) {
    check(runScript(30, "restore", id, String.valueOf(slot)));
  }

  public void partition(int a, int b) {
    check(runScript(30, "partition", id, String.valueOf(a), String.valueOf(b)));
  }

  public void heal(int a, int b) {
    check(runScript(30, "heal", id, String.valueOf(a), String.valueOf(b)));
  }

  /**
   * A window into host {@code slot}: a forwarder ({@code netns-farm.sh forward}) listening on the machine's own
   * loopback that relays every connection to {@code host:port} as seen from inside the slot, so a test can use a
   * plain HTTP client (no process per request) and still reach the slot whatever is cut around it. Returns the
   * local port; the forwarder is stopped by close().
   */
  public synchronized int forward(int slot, String host, int port) throws IOException {
    Process p = new ProcessBuilder(script().toString(), "forward", id, String.valueOf(slot), host + ":" + port)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.trim().matches("\\d+")) {
      p.destroyForcibly();
      throw new IOException("netns-farm.sh forward " + slot + " " + host + ":" + port + " printed no port: " + line);
    }
    return Integer.parseInt(line.trim());
  }

  /**
   * Sends a signal by name ({@code STOP}, {@code CONT}, {@code KILL}…) to a process started on the farm (bash's
   * own {@code kill}: the kill program comes with procps, which a minimal machine may lack).
   */
  public static void signal(Process p, String name) {
    check(run(List.of("bash", "-c", "kill -" + name + " \"$1\"", "kill", String.valueOf(p.pid())), 10, null));
  }

  /** From every host: dead addresses time out, closed ports of live hosts refuse. */
  public Result checkDead() {
    return runScript(300, "check-dead", id);
  }

  /** Stops the farm's processes and removes its namespaces. Idempotent. */
  @Override
  public void close() {
    down();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void down() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Result r = runScript(60, "down", id);
    if (r.exitCode() != 0) {
      System.err.println("netns-farm.sh down " + id + " failed: " + r.stderr());
    }
  }

  private static void check(Result r) {
    if (r.exitCode() != 0) {
      throw new IllegalStateException("netns-farm.sh failed: " + r.stdout() + r.stderr());
    }
  }

  static Result runScript(int seconds, String... args) {
    List<String> command = new ArrayList<>(List.of(script().toString()));
    command.addAll(List.of(args));
    return run(command, seconds, null);
  }

  static Result run(List<String> command, int seconds, String input) {
    try {
      Path out = Files.createTempFile("netns-farm-out", ".txt");
      Path err = Files.createTempFile("netns-farm-err", ".txt");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Path in = null;
        if (input != null) {
          in = Files.writeString(Files.createTempFile("netns-farm-in", ".txt"), input, StandardCharsets.UTF_8);
          pb.redirectInput(in.toFile());
        }
        Process p = pb.start();
        try {
          if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
          }
        } finally {
          if (in != null) {
            Files.deleteIfExists(in);
          }
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Parses a JSON answer or fails with what came back. */
  static JsonObject json(Result r) {
    try {
      return new JsonObject(r.stdout());
    } catch (RuntimeException e) {
      throw new AssertionError("not JSON (exit " + r.exitCode() + "): " + r.stdout() + r.stderr(), e);
    }
  }
}
