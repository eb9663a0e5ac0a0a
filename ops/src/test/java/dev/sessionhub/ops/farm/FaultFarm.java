package dev.sessionhub.ops.farm;

import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The farm the fault tests share: five addresses in a per-run subnet; hosts 1 and 2 each run a hub (one
 * Hazelcast cluster across the two namespaces, each hub joining the other by {@code --member}) and a sim; hosts
 * 3 and 4 run a sim each; slot 5 is dead (connects time out). Every sim has {@link #AGENTS} sessions on ports
 * 8000-8009 of its host; both hubs scan every slot's 8000-8009, every {@link #SCAN_INTERVAL}, with the
 * launcher's default {@link #LEASE}, which outlasts a hub failover. The test process talks to a hub from inside that hub's own
 * namespace (curl through {@code ip netns exec}), so cutting or partitioning other hosts never cuts the test off.
 */
final class FaultFarm implements AutoCloseable {

  static final int HUB_A = 1;
  static final int HUB_B = 2;
  static final int[] SIM_HOSTS = {1, 2, 3, 4};
  static final int DEAD = 5;
  static final int SLOTS = 5;
  static final int AGENTS = 3;
  static final String PORTS = "8000-8009";
  static final Duration SCAN_INTERVAL = Duration.ofSeconds(2);
  /** The launcher's default lease for a 2 s interval (interval + 15 s: it must outlast a silent split). */
  static final Duration LEASE = Duration.ofSeconds(17);
  static final int HTTP_PORT = 7700;
  static final int HZ_PORT = 5701;

  final NetnsFarm farm;
  final Path dir;
  private final String token;
  private final Path tokenFile;
  private final Path headerFile;
  final Map<Integer, Process> hubs = new HashMap<>();
  final Map<Integer, Process> sims = new HashMap<>();

  private FaultFarm(NetnsFarm farm, Path dir) throws IOException {
    this.farm = farm;
    this.dir = dir;
    this.token = "farm-" + farm.id() + "-" + Long.toHexString(System.nanoTime());
    this.tokenFile = secret(dir.resolve("token"), token);
    this.headerFile = secret(dir.resolve("auth.header"), "Authorization: Bearer " + token);
  }

  /** Builds the farm and waits until both hubs form one cluster and list every sim session. */
  static FaultFarm start(Path dir) throws Exception {
    FaultFarm f = create(dir, SLOTS, DEAD);
    try {
      for (int host : SIM_HOSTS) {
        f.startSim(host);
      }
      f.startHub(HUB_A, HUB_B);
      f.startHub(HUB_B, HUB_A);
      FaultFarm ready = f;
      for (int host : SIM_HOSTS) {
        Poll.until(Duration.ofSeconds(120), "sim on host " + host + " listening",
            () -> Files.exists(dir.resolve("sim" + host + ".ports")));
      }
      for (int hub : new int[] {HUB_A, HUB_B}) {
        Poll.until(Duration.ofSeconds(120), "hub on host " + hub + " ready",
            () -> Files.exists(dir.resolve("hub" + hub + ".ready")));
      }
      for (int hub : new int[] {HUB_A, HUB_B}) {
        Poll.until(Duration.ofSeconds(60), "hub " + hub + " sees a cluster of 2 and all sessions",
            () -> ready.clusterSize(hub) == 2 && ready.addresses(hub, "*").size() == SIM_HOSTS.length * AGENTS);
      }
      return f;
    } catch (Throwable t) {
      f.farm.close();
      throw t;
    }
  }

  /**
   * A farm of {@code slots} addresses ({@code dead} of them dead) with this farm's token files and nothing
   * started yet, for tests that lay out their own hubs and sessions (the chaos soak). Skips the test (a failure
   * under CI=true) where namespaces are unavailable.
   */
  static FaultFarm create(Path dir, int slots, int... dead) throws IOException {
    NetnsFarm.assumeAvailable();
    NetnsFarm farm = NetnsFarm.up(slots, dead);
    try {
      return new FaultFarm(farm, dir);
    } catch (IOException | RuntimeException e) {
      farm.close();
      throw e;
    }
  }

  void startSim(int host) throws IOException {
    startSim(host, AGENTS, 8000, 8009);
  }

  /** A sim of {@code agents} sessions on ports {@code basePort..maxPort} of {@code host}; EXTRA are more flags. */
  Process startSim(int host, int agents, int basePort, int maxPort, String... extra) throws IOException {
    Files.deleteIfExists(dir.resolve("sim" + host + ".ports"));
    List<String> args = new ArrayList<>(List.of("sim", "--agents", String.valueOf(agents), "--bind",
        farm.address(host), "--base-port", String.valueOf(basePort), "--max-port", String.valueOf(maxPort),
        "--token-file", tokenFile.toString(), "--ready-file", dir.resolve("sim" + host + ".ports").toString()));
    args.addAll(List.of(extra));
    Process p = farm.start(host, dir.resolve("sim" + host + ".log"), args.toArray(String[]::new));
    sims.put(host, p);
    return p;
  }

  void startHub(int host, int peer) throws IOException {
    startHub(host, farm.target(PORTS), SCAN_INTERVAL, List.of(), peer);
  }

  /**
   * A hub on {@code host} joining {@code peers} by {@code --member}, scanning {@code scan} every
   * {@code interval}; EXTRA are more flags (e.g. {@code --lease}). Its ready file is HUBn.ready.
   */
  Process startHub(int host, String scan, Duration interval, List<String> extra, int... peers) throws IOException {
    Files.deleteIfExists(dir.resolve("hub" + host + ".ready"));
    List<String> args = new ArrayList<>(List.of("hub", "--bind", farm.address(host), "--http-port",
        String.valueOf(HTTP_PORT), "--hz-port", String.valueOf(HZ_PORT), "--cluster", "farm-" + farm.id()));
    for (int peer : peers) {
      args.addAll(List.of("--member", farm.address(peer) + ":" + HZ_PORT));
    }
    args.addAll(List.of("--scan", scan, "--scan-interval", interval.toMillis() + "ms", "--token-file",
        tokenFile.toString(), "--ready-file", dir.resolve("hub" + host + ".ready").toString()));
    args.addAll(extra);
    Process p = farm.start(host, dir.resolve("hub" + host + ".log"), args.toArray(String[]::new));
    hubs.put(host, p);
    return p;
  }

  /** The URL of the hub on {@code host} as other hosts of the farm reach it. */
  String hubUrl(int host) {
    return "http://" + farm.address(host) + ":" + HTTP_PORT;
  }

  Path tokenFile() {
    return tokenFile;
  }

  /** The farm's token, for clients that send it themselves (not through curl's header file). */
  String token() {
    return token;
  }

  Path headerFile() {
    return headerFile;
  }

  /** Starts a standalone {@code sessionhub session} on {@code host} from {@code basePort}; its port goes to NAME.port. */
  Process startSession(int host, int basePort, String name) throws IOException {
    return startSession(host, basePort, 8009, name);
  }

  /** The same within {@code basePort..maxPort}; EXTRA are more flags (e.g. {@code --hub URL}). */
  Process startSession(int host, int basePort, int maxPort, String name, String... extra) throws IOException {
    Files.deleteIfExists(dir.resolve(name + ".port"));
    List<String> args = new ArrayList<>(List.of("session", "--bind", farm.address(host), "--base-port",
        String.valueOf(basePort), "--max-port", String.valueOf(maxPort), "--name", name, "--token-file",
        tokenFile.toString(), "--port-file", dir.resolve(name + ".port").toString()));
    args.addAll(List.of(extra));
    return farm.start(host, dir.resolve(name + ".log"), args.toArray(String[]::new));
  }

  String address(int host, int port) {
    return farm.address(host) + ":" + port;
  }

  /** The sessions on {@code host} as the farm starts them (its sim's agents). */
  Set<String> simSessions(int... hosts) {
    Set<String> out = new TreeSet<>();
    for (int host : hosts) {
      for (int i = 0; i < AGENTS; i++) {
        out.add(address(host, 8000 + i));
      }
    }
    return out;
  }

  // ---- the hub's REST API, called from inside the hub's namespace ----

  JsonObject get(int hub, String path) {
    return NetnsFarm.json(curl(hub, 30, null, "http://" + farm.address(hub) + ":" + HTTP_PORT + path));
  }

  JsonObject post(int hub, String path, JsonObject body, int seconds) {
    return NetnsFarm.json(curl(hub, seconds, body.encode(), "-X", "POST", "-H", "Content-Type: application/json",
        "--data-binary", "@-", "http://" + farm.address(hub) + ":" + HTTP_PORT + path));
  }

  private NetnsFarm.Result curl(int hub, int seconds, String body, String... args) {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", String.valueOf(seconds), "-H",
        "@" + headerFile));
    command.addAll(List.of(args));
    return farm.exec(hub, seconds + 5, body, command.toArray(String[]::new));
  }

  /** Addresses the hub lists for {@code selector}. */
  Set<String> addresses(int hub, String selector) {
    return addressesIn(sessions(hub, selector));
  }

  /** The addresses of a listing's {@code sessions}. */
  static Set<String> addressesIn(JsonArray sessions) {
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < sessions.size(); i++) {
      out.add(sessions.getJsonObject(i).getString("address"));
    }
    return out;
  }

  JsonArray sessions(int hub, String selector) {
    JsonObject answer = get(hub, "/api/sessions?selector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
    JsonArray sessions = answer.getJsonArray("sessions");
    if (sessions == null) {
      throw new AssertionError("no sessions in " + answer);
    }
    return sessions;
  }

  JsonObject cluster(int hub) {
    return get(hub, "/api/cluster");
  }

  int clusterSize(int hub) {
    return cluster(hub).getInteger("size", 0);
  }

  /** This hub's own entry in {@code /api/cluster}. */
  JsonObject localStatus(int hub) {
    JsonArray members = cluster(hub).getJsonArray("members");
    for (int i = 0; i < members.size(); i++) {
      if (members.getJsonObject(i).getBoolean("local", false)) {
        return members.getJsonObject(i);
      }
    }
    throw new AssertionError("hub " + hub + " lists no local member");
  }

  /** Starts a broadcast and returns its id at once ({@code wait: false}). */
  String broadcastNoWait(int hub, String selector, String code, int timeoutSeconds) {
    JsonObject started = post(hub, "/api/broadcast", new JsonObject().put("selector", selector).put("code", code)
        .put("timeout", timeoutSeconds).put("wait", false), 30);
    String id = started.getString("id");
    if (id == null) {
      throw new AssertionError("broadcast not started: " + started);
    }
    return id;
  }

  /** Runs a broadcast to the end and returns the job view. */
  JsonObject broadcast(int hub, String selector, String code, int timeoutSeconds) {
    return post(hub, "/api/broadcast", new JsonObject().put("selector", selector).put("code", code)
        .put("timeout", timeoutSeconds).put("wait", true), timeoutSeconds + 60);
  }

  JsonObject job(int hub, String id) {
    return get(hub, "/api/jobs/" + id);
  }

  /** The state of each target of a job view, by address. */
  static Map<String, String> states(JsonObject job) {
    Map<String, String> out = new HashMap<>();
    JsonArray results = job.getJsonArray("results");
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      out.put(r.getString("address"), r.getString("state"));
    }
    return out;
  }

  /** Prints a measured figure to the test's output (target/failsafe-reports/*-output.txt). */
  static void report(String format, Object... args) {
    System.out.println("farm: " + java.time.Instant.now() + " " + String.format(format, args));
  }

  /** A hub's log, for assertion messages. */
  String log(String name) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log " + name + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    farm.close();
    keepLogs();
  }

  /** Copies the programs' logs to target/farm-logs/FARM_ID/ (the temporary directory goes with the test). */
  private void keepLogs() {
    try (var files = Files.list(dir)) {
      Path keep = Path.of("target", "farm-logs", farm.id());
      Files.createDirectories(keep);
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      report("logs of farm %s kept in %s", farm.id(), keep.toAbsolutePath());
    } catch (IOException e) {
      report("could not keep the logs of farm %s: %s", farm.id(), e);
    }
  }

  private static Path secret(Path file, String content) throws IOException {
    Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
