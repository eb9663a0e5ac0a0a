package dev.sessionhub.ops.farm;

import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak's layout on a {@link FaultFarm} of six hosts, and the faults it can suffer. Hosts 1-3 run a hub each
 * (one cluster; each names the other two with {@code --member}), all scanning every host's ports 8000 up to the
 * sim's top port. Host 4 runs the sim (its agents found by scanning and also announced to hub 1, as a crowded
 * host's sessions are). Host 5 runs two sessions found by scanning; host 6 two sessions on ports 9000+, outside
 * the scan targets, that only announce themselves (one to hub 2, one to hub 3), so a hub learns of them only
 * through the map. Every process start and kill goes into the {@link SoakTimeline}.
 */
final class SoakFarm implements FaultScheduler.Farm {

  static final int[] HUBS = {1, 2, 3};
  static final int SIM_HOST = 4;
  static final int SLOTS = 6;
  private static final Duration START = Duration.ofSeconds(180);

  /** One standalone session: where it runs and how it is found. */
  record SessionSpec(String name, int host, int basePort, int hubToAnnounceTo) {
  }

  static final List<SessionSpec> SESSIONS = List.of(
      new SessionSpec("soak-s1", 5, 8000, 0),
      new SessionSpec("soak-s2", 5, 8000, 0),
      new SessionSpec("soak-s3", 6, 9000, 2),
      new SessionSpec("soak-s4", 6, 9000, 3));

  private final FaultFarm f;
  private final SoakSettings settings;
  private final SoakTimeline timeline;
  private final Map<String, Process> sessions = new HashMap<>();
  private Process sim;

  SoakFarm(FaultFarm f, SoakSettings settings, SoakTimeline timeline) {
    this.f = f;
    this.settings = settings;
    this.timeline = timeline;
  }

  int simTopPort() {
    return 8000 + settings.simAgents() + 9;
  }

  String scanTarget() {
    return f.farm.target("8000-" + simTopPort());
  }

  /** Starts everything and returns once every program serves (not yet once the hubs agree). */
  void startAll() throws Exception {
    startSim();
    for (SessionSpec s : SESSIONS) {
      startSession(s);
    }
    Map<Integer, Instant> started = new HashMap<>();
    for (int hub : HUBS) {
      startHub(hub);
      started.put(hub, timeline.now());
    }
    awaitSim();
    for (SessionSpec s : SESSIONS) {
      awaitSession(s);
    }
    for (int hub : HUBS) {
      awaitHub(hub, null, started.get(hub));
    }
  }

  @Override
  public int[] hubs() {
    return HUBS.clone();
  }

  @Override
  public int sessions() {
    return SESSIONS.size();
  }

  @Override
  public void killAndRestartHub(int hub, Duration down) throws Exception {
    Process p = f.hubs.get(hub);
    timeline.open(hub, SoakTimeline.HubFault.DOWN);
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("hub " + hub + " outlived kill -9 by 30 s");
    }
    FaultScheduler.pause(down);
    Instant restarted = timeline.now();
    startHub(hub);
    awaitHub(hub, "restart", restarted);
  }

  @Override
  public void freezeHub(int hub, Duration hold) {
    Process p = f.hubs.get(hub);
    timeline.open(hub, SoakTimeline.HubFault.FROZEN);
    NetnsFarm.signal(p, "STOP");
    try {
      FaultScheduler.pause(hold);
    } finally {
      NetnsFarm.signal(p, "CONT");
      timeline.close(hub, SoakTimeline.HubFault.FROZEN, "resume", timeline.now());
    }
  }

  @Override
  public void isolateHub(int hub, Duration hold) {
    timeline.open(hub, SoakTimeline.HubFault.ISOLATED);
    List<Integer> cut = new ArrayList<>();
    try {
      for (int other : HUBS) {
        if (other != hub) {
          f.farm.partition(hub, other);
          cut.add(other);
        }
      }
      FaultScheduler.pause(hold);
    } finally {
      for (int other : cut) {
        f.farm.heal(hub, other);
      }
      timeline.close(hub, SoakTimeline.HubFault.ISOLATED, "heal", timeline.now());
    }
  }

  @Override
  public void killAndRestartSession(int index, Duration down) throws Exception {
    SessionSpec spec = SESSIONS.get(index);
    Process p = sessions.get(spec.name());
    markKilled(p.pid());
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
    FaultScheduler.pause(down);
    startSession(spec);
    awaitSession(spec);
  }

  @Override
  public void killAndRestartSim(Duration down) throws Exception {
    markKilled(sim.pid());
    sim.destroyForcibly();
    sim.waitFor(30, TimeUnit.SECONDS);
    FaultScheduler.pause(down);
    startSim();
    awaitSim();
  }

  /** Marks every live session of process {@code pid} killed now (just before the kill). */
  private void markKilled(long pid) {
    Instant at = timeline.now();
    timeline.instances().stream().filter(i -> i.pid == pid && i.killedAt() == null).forEach(i -> i.killed(at));
  }

  private void startSim() throws IOException {
    sim = f.startSim(SIM_HOST, settings.simAgents(), 8000, simTopPort(), "--hub", f.hubUrl(HUBS[0]));
  }

  private void awaitSim() throws IOException {
    Path ready = f.dir.resolve("sim" + SIM_HOST + ".ports");
    Process p = sim;
    Poll.until(START, "the sim on host " + SIM_HOST + " listening", () -> Files.exists(ready) || !p.isAlive());
    if (!p.isAlive()) {
      throw new IllegalStateException("the sim exited: " + f.log("sim" + SIM_HOST));
    }
    Instant at = timeline.now();
    List<String> ports = Files.readAllLines(ready).stream().filter(l -> !l.isBlank()).toList();
    for (int i = 0; i < ports.size(); i++) {
      timeline.add(new SoakTimeline.Instance("sim#" + i, f.address(SIM_HOST, Integer.parseInt(ports.get(i).trim())),
          p.pid(), String.valueOf(i), at));
    }
  }

  private void startSession(SessionSpec s) throws IOException {
    List<String> extra = new ArrayList<>(List.of("--fps", "10"));
    if (s.hubToAnnounceTo() > 0) {
      extra.addAll(List.of("--hub", f.hubUrl(s.hubToAnnounceTo())));
    }
    sessions.put(s.name(), f.startSession(s.host(), s.basePort(), s.basePort() + 9, s.name(),
        extra.toArray(String[]::new)));
  }

  private void awaitSession(SessionSpec s) throws IOException {
    Path portFile = f.dir.resolve(s.name() + ".port");
    Process p = sessions.get(s.name());
    Poll.until(START, s.name() + " listening", () -> isWritten(portFile) || !p.isAlive());
    if (!p.isAlive()) {
      throw new IllegalStateException(s.name() + " exited: " + f.log(s.name()));
    }
    int port = Integer.parseInt(Files.readString(portFile).trim());
    timeline.add(new SoakTimeline.Instance(s.name(), f.address(s.host(), port), p.pid(), "s", timeline.now()));
  }

  private static boolean isWritten(Path file) {
    try {
      return Files.exists(file) && !Files.readString(file).isBlank();
    } catch (IOException e) {
      return false;
    }
  }

  private void startHub(int hub) throws IOException {
    List<Integer> peers = new ArrayList<>();
    for (int other : HUBS) {
      if (other != hub) {
        peers.add(other);
      }
    }
    f.startHub(hub, scanTarget(), settings.scanInterval(), List.of("--lease", settings.lease().toMillis() + "ms"),
        peers.stream().mapToInt(Integer::intValue).toArray());
  }

  private void awaitHub(int hub, String comeback, Instant startedAt) {
    Path ready = f.dir.resolve("hub" + hub + ".ready");
    Process p = f.hubs.get(hub);
    Poll.until(START, "hub " + hub + " serving", () -> Files.exists(ready) || !p.isAlive());
    if (!p.isAlive()) {
      throw new IllegalStateException("hub " + hub + " exited: " + f.log("hub" + hub));
    }
    timeline.close(hub, SoakTimeline.HubFault.DOWN, comeback, startedAt);
  }

  /**
   * One broadcast to {@code *} before any fault, waited for (repeated up to 3 times until every session ran it):
   * Python starts in each session on its first command, and Jython's first {@code import os} (which the soak's
   * broadcasts do) loads its native POSIX layer under Jython's global import lock; on a loaded machine that takes
   * a sim of a hundred longer than a broadcast's timeout, which is not what the soak measures. Returns a line
   * for the report.
   */
  String warmUp(SoakHubApi api) {
    StringBuilder out = new StringBuilder();
    for (int attempt = 1; attempt <= 3; attempt++) {
      Instant from = timeline.now();
      SoakHubApi.Answer started = api.post(HUBS[0], "POST /api/broadcast", "/api/broadcast", new JsonObject()
          .put("selector", "*").put("code", "import os, time\nprint('warm %d' % os.getpid())").put("timeout", 120)
          .put("wait", false));
      if (!started.ok()) {
        throw new AssertionError("the warm-up broadcast did not start: " + started.summary());
      }
      String id = started.json().getString("id");
      JsonObject[] view = {null};
      long[] next = {0};
      Poll.until(Duration.ofSeconds(150), "the warm-up broadcast done", () -> {
        if (System.nanoTime() < next[0]) {
          return false;
        }
        next[0] = System.nanoTime() + Duration.ofMillis(500).toNanos();
        SoakHubApi.Answer a = api.get(HUBS[0], "GET /api/jobs/{id}", "/api/jobs/" + id);
        view[0] = a.ok() ? a.json() : null;
        return view[0] != null && "done".equals(view[0].getString("state"));
      });
      JsonObject counts = view[0].getJsonObject("counts");
      out.append(out.length() == 0 ? "" : "; ").append("warm-up broadcast ").append(attempt).append(": ")
          .append(counts.encode()).append(" in ").append(Duration.between(from, timeline.now()).toMillis())
          .append(" ms");
      if (counts.getInteger("ok", 0).equals(view[0].getInteger("target_count"))) {
        break;  // every session has run Python once
      }
    }
    return out.toString();
  }

  /** Waits until every hub is in one cluster of three and lists every session the timeline has (at start). */
  void awaitOneView(SoakHubApi api) {
    long[] next = {0};
    String[] last = {""};
    try {
      Poll.until(START, "every hub in one cluster listing every session", () -> {
        if (System.nanoTime() < next[0]) {
          return false;
        }
        next[0] = System.nanoTime() + Duration.ofMillis(500).toNanos();
        int expected = timeline.instances().size();
        for (int hub : HUBS) {
          SoakHubApi.Answer cluster = api.get(hub, "GET /api/cluster", "/api/cluster");
          SoakHubApi.Answer listing = api.get(hub, "GET /api/sessions", "/api/sessions?selector=*");
          int size = cluster.ok() ? cluster.json().getInteger("size", 0) : -1;
          int listed = listing.ok() ? listing.json().getJsonArray("sessions", new JsonArray()).size() : -1;
          last[0] = "hub " + hub + ": cluster of " + size + ", " + listed + " of " + expected + " sessions";
          if (size != HUBS.length || listed != expected) {
            return false;
          }
        }
        return true;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last: " + last[0], e);
    }
  }
}
