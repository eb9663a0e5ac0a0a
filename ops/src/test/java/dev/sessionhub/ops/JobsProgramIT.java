package dev.sessionhub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher: a hub, three sessions that announce themselves to it, then {@code send}, {@code broadcast},
 * {@code job} and {@code jobs} as a user runs them, with their output and exit codes.
 */
class JobsProgramIT {

  private static final String SELECTOR = "tag.it=jobs";
  private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+ sessions?: .*) \\(job ([0-9a-f-]{36})\\)$");

  @TempDir
  static Path dir;
  private static final List<Process> processes = new ArrayList<>();
  private static final Map<String, String> addressByName = new HashMap<>();
  private static String hubUrl;

  @BeforeAll
  static void startFarm() throws Exception {
    int http = FreePorts.one();
    int hz = FreePorts.range(3);
    int base = FreePorts.range(10);
    processes.add(Launcher.start(dir.resolve("hub.log"), "hub", "--http-port", String.valueOf(http),
        "--hz-port", String.valueOf(hz), "--cluster", "jobs-it-" + http, "--ready-file",
        dir.resolve("hub.ready").toString()));
    Poll.until(Duration.ofSeconds(90), "hub ready", () -> Files.exists(dir.resolve("hub.ready")));
    hubUrl = Files.readString(dir.resolve("hub.ready")).trim();
    String[] apps = {"blender", "maya", "houdini"};
    for (int i = 0; i < apps.length; i++) {
      processes.add(Launcher.start(dir.resolve("s" + i + ".log"), "session", "--hub", hubUrl, "--base-port",
          String.valueOf(base), "--max-port", String.valueOf(base + 9), "--app", apps[i], "--name", "shot" + i,
          "--tag", "it=jobs", "--port-file", dir.resolve("s" + i + ".port").toString()));
    }
    Poll.until(Duration.ofSeconds(60), "three sessions announced", () -> {
      try {
        Launcher.Result r = Launcher.run(60, "ls", SELECTOR, "--hub", hubUrl, "--json");
        return r.exitCode() == 0 && new JsonObject(r.stdout()).getInteger("count") == 3;
      } catch (Exception e) {
        return false;
      }
    });
    JsonArray sessions = new JsonObject(Launcher.run(60, "ls", "--hub", hubUrl, "--json").stdout())
        .getJsonArray("sessions");
    for (int i = 0; i < sessions.size(); i++) {
      addressByName.put(sessions.getJsonObject(i).getString("name"), sessions.getJsonObject(i).getString("address"));
    }
    // The first command of a session starts its Python: do it here, not inside a test's timeout.
    Launcher.Result warm = Launcher.run(200, "broadcast", SELECTOR, "print('warm')", "--hub", hubUrl,
        "--timeout", "180s");
    assertEquals(0, warm.exitCode(), warm.stdout() + warm.stderr());
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
  void sendPrintsTheOutputExactly() throws Exception {
    String shot0 = addressByName.get("shot0");
    Launcher.Result hello = Launcher.run(60, "send", shot0, "print('hello from %s' % scene)", "--hub", hubUrl);
    assertEquals(0, hello.exitCode(), hello.stderr());
    assertEquals("hello from <Scene with 3 objects>\n", hello.stdout());

    Launcher.Result noNewline = Launcher.run(60, "send", shot0, "import sys\nsys.stdout.write('a\\nb')",
        "--hub", hubUrl);
    assertEquals(0, noNewline.exitCode(), noNewline.stderr());
    assertEquals("a\nb", noNewline.stdout());

    Path file = dir.resolve("code.py");
    Files.writeString(file, "x = 6 * 7\nprint('h\u00e9llo %d' % x)\n", StandardCharsets.UTF_8);
    Launcher.Result fromFile = Launcher.run(60, "send", "shot1", "@" + file, "--hub", hubUrl);
    assertEquals(0, fromFile.exitCode(), fromFile.stderr());
    assertEquals("h\u00e9llo 42\n", fromFile.stdout());

    Launcher.Result fromStdin = runWithStdin("print(x + 1)\n", "send", addressByName.get("shot1"), "-",
        "--hub", hubUrl);
    assertEquals(0, fromStdin.exitCode(), fromStdin.stderr());
    assertEquals("43\n", fromStdin.stdout());

    Launcher.Result json = Launcher.run(60, "send", shot0, "print(1 + 1)", "--hub", hubUrl, "--json");
    assertEquals(0, json.exitCode(), json.stderr());
    JsonObject view = new JsonObject(json.stdout());
    assertEquals("route", view.getString("kind"));
    assertEquals("2\n", view.getJsonArray("results").getJsonObject(0).getString("output"));
  }

  @Test
  void sendFailuresHaveExitCodes() throws Exception {
    String shot0 = addressByName.get("shot0");
    Launcher.Result raised = Launcher.run(60, "send", shot0, "1/0", "--hub", hubUrl);
    assertEquals(1, raised.exitCode(), raised.stdout());
    assertEquals("", raised.stdout());
    assertTrue(raised.stderr().startsWith("sessionhub: " + shot0 + ": error: "), raised.stderr());
    assertTrue(raised.stderr().contains("ZeroDivisionError"), raised.stderr());

    Launcher.Result unknown = Launcher.run(60, "send", "127.0.0.1:1", "print(1)", "--hub", hubUrl);
    assertEquals(2, unknown.exitCode(), unknown.stdout());
    assertTrue(unknown.stderr().contains("no session at 127.0.0.1:1"), unknown.stderr());

    Launcher.Result unknownName = Launcher.run(60, "send", "shot99", "print(1)", "--hub", hubUrl);
    assertEquals(2, unknownName.exitCode(), unknownName.stdout());
    assertTrue(unknownName.stderr().contains("no session named 'shot99'"), unknownName.stderr());

    Launcher.Result noFile = Launcher.run(60, "send", shot0, "@" + dir.resolve("missing.py"), "--hub", hubUrl);
    assertEquals(2, noFile.exitCode());
    assertTrue(noFile.stderr().contains("no such file"), noFile.stderr());
  }

  @Test
  void broadcastPrintsATableAndASummary() throws Exception {
    Launcher.Result table = Launcher.run(60, "broadcast", SELECTOR, "print('%d objects' % scene.count())",
        "--hub", hubUrl);
    assertEquals(0, table.exitCode(), table.stderr());
    assertTrue(table.stdout().startsWith("ADDRESS"), table.stdout());
    for (String address : addressByName.values()) {
      assertTrue(table.stdout().matches("(?s).*\\n" + Pattern.quote(address) + " +ok +\\d+(ms|\\.\\ds) +3 objects\\n.*"),
          table.stdout());
    }
    Matcher summary = SUMMARY.matcher(table.stdout());
    assertTrue(summary.find(), table.stdout());
    assertEquals("3 sessions: 3 ok", summary.group(1));

    Launcher.Result json = Launcher.run(60, "broadcast", "app=maya,houdini " + SELECTOR, "print('hi')",
        "--hub", hubUrl, "--json");
    assertEquals(0, json.exitCode(), json.stderr());
    JsonObject view = new JsonObject(json.stdout());
    assertEquals("done", view.getString("state"));
    assertEquals(2, view.getInteger("target_count"));
    assertEquals(2, view.getJsonObject("counts").getInteger("ok"));
    assertEquals(0, view.getJsonObject("counts").getInteger("pending"));
    assertEquals(2, view.getJsonArray("results").size());

    Launcher.Result none = Launcher.run(60, "broadcast", "tag.it=nothing", "print(1)", "--hub", hubUrl);
    assertEquals(0, none.exitCode(), none.stderr());
    assertEquals("no session matches 'tag.it=nothing'\n", none.stdout());
  }

  @Test
  void aTimedOutTargetFailsTheBroadcastAndTheJobReadsTheSame() throws Exception {
    String slow = addressByName.get("shot2");
    Launcher.Result seed = Launcher.run(60, "send", slow, "role = 'slow'", "--hub", hubUrl);
    assertEquals(0, seed.exitCode(), seed.stderr());
    assertEquals("", seed.stdout());
    try {
      String code = "import time\nif globals().get('role') == 'slow':\n    time.sleep(4)\nprint('done')";
      Launcher.Result run = Launcher.run(60, "broadcast", SELECTOR, code, "--timeout", "1s", "--hub", hubUrl);
      assertEquals(1, run.exitCode(), run.stdout() + run.stderr());
      assertTrue(run.stdout().matches("(?s).*\\n" + Pattern.quote(slow) + " +timeout .*"), run.stdout());
      Matcher summary = SUMMARY.matcher(run.stdout());
      assertTrue(summary.find(), run.stdout());
      assertEquals("3 sessions: 2 ok, 1 timeout", summary.group(1));
      String id = summary.group(2);

      Launcher.Result job = Launcher.run(60, "job", id, "--hub", hubUrl);
      assertEquals(1, job.exitCode(), job.stderr());
      assertTrue(job.stdout().startsWith("ADDRESS"), job.stdout());
      assertTrue(job.stdout().contains("3 sessions: 2 ok, 1 timeout (job " + id + ")"), job.stdout());

      Launcher.Result json = Launcher.run(60, "job", id, "--hub", hubUrl, "--json");
      assertEquals(1, json.exitCode(), json.stderr());
      JsonObject counts = new JsonObject(json.stdout()).getJsonObject("counts");
      assertEquals(2, counts.getInteger("ok"));
      assertEquals(1, counts.getInteger("timeout"));
    } finally {
      // Waits for the sleeping command to end, so the session is idle again for the other tests.
      Launcher.run(60, "send", slow, "role = 'fast'", "--hub", hubUrl);
    }
  }

  @Test
  void noWaitPrintsTheJobIdAndJobsListsIt() throws Exception {
    Launcher.Result started = Launcher.run(60, "broadcast", SELECTOR, "print('later')", "--no-wait",
        "--hub", hubUrl);
    assertEquals(0, started.exitCode(), started.stderr());
    String id = started.stdout().trim();
    assertTrue(id.matches("[0-9a-f-]{36}"), started.stdout());
    Poll.until(Duration.ofSeconds(60), "job " + id + " done and ok", () -> {
      try {
        return Launcher.run(60, "job", id, "--hub", hubUrl).exitCode() == 0;
      } catch (Exception e) {
        return false;
      }
    });

    Launcher.Result jobs = Launcher.run(60, "jobs", "--hub", hubUrl, "--limit", "100");
    assertEquals(0, jobs.exitCode(), jobs.stderr());
    assertTrue(jobs.stdout().startsWith("ID"), jobs.stdout());
    assertTrue(jobs.stdout().matches("(?s).*\\n" + id + " +broadcast +" + Pattern.quote(SELECTOR)
        + " +\\S+ \\S+ +done +3: 3 ok\\n.*"), jobs.stdout());
  }

  @Test
  void unknownJobsBadSelectorsAndUnreachableHubsAreClearErrors() throws Exception {
    Launcher.Result unknownJob = Launcher.run(60, "job", "00000000-0000-0000-0000-000000000000", "--hub", hubUrl);
    assertEquals(2, unknownJob.exitCode(), unknownJob.stdout());
    assertTrue(unknownJob.stderr().contains("no job 00000000-0000-0000-0000-000000000000"), unknownJob.stderr());

    Launcher.Result bad = Launcher.run(60, "broadcast", "colour=red", "print(1)", "--hub", hubUrl);
    assertEquals(2, bad.exitCode(), bad.stdout());
    assertTrue(bad.stderr().contains("unknown field 'colour'"), bad.stderr());

    String down = "http://127.0.0.1:" + FreePorts.one();
    for (String[] args : List.of(new String[] {"send", "127.0.0.1:8000", "print(1)"},
        new String[] {"broadcast", "*", "print(1)"}, new String[] {"job", "x"})) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--hub", down));
      Launcher.Result r = Launcher.run(60, all.toArray(String[]::new));
      assertEquals(3, r.exitCode(), String.join(" ", args) + ": " + r.stderr());
      assertTrue(r.stderr().contains("cannot reach the hub at " + down), r.stderr());
    }
  }

  /** {@link Launcher#run} with {@code input} on the program's stdin. */
  private static Launcher.Result runWithStdin(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Launcher.script().toString()));
    command.addAll(List.of(args));
    Path in = Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), input, StandardCharsets.UTF_8);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("sessionhub " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Launcher.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
