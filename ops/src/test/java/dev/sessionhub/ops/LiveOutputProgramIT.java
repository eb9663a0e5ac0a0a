package dev.sessionhub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live output through the real launcher: a hub and two sessions; {@code send} and {@code broadcast --follow}
 * print a command's lines while it runs, with stdout a pipe (as in {@code send ... | tee log}) and in a real
 * terminal (tmux), and Ctrl-C while following leaves the job running on the hub.
 *
 * <p>Each command prints a line every 100 ms for 2 s, each line carrying the wall-clock time the session printed
 * it: a line is live when it reaches the CLI's stdout soon after it was printed and long before the command's last
 * line was printed. Measuring from the printing, not from the CLI's start, keeps the JVM's start-up out of it.
 */
class LiveOutputProgramIT {

  private static final String SELECTOR = "tag.it=live";
  private static final String TICKS = "import time\n"
      + "for i in range(20):\n"
      + "    print('line %d at %d' % (i, int(time.time() * 1000)))\n"
      + "    time.sleep(0.1)\n";
  private static final Pattern LINE = Pattern.compile("line (\\d+) at (\\d+)");

  @TempDir
  static Path dir;
  private static final List<Process> processes = new ArrayList<>();
  private static final List<String> addresses = new ArrayList<>();
  private static String hubUrl;

  @BeforeAll
  static void startFarm() throws Exception {
    int http = FreePorts.one();
    int hz = FreePorts.range(3);
    int base = FreePorts.range(10);
    processes.add(Launcher.start(dir.resolve("hub.log"), "hub", "--http-port", String.valueOf(http),
        "--hz-port", String.valueOf(hz), "--cluster", "live-it-" + http, "--ready-file",
        dir.resolve("hub.ready").toString()));
    Poll.until(Duration.ofSeconds(90), "hub ready", () -> Files.exists(dir.resolve("hub.ready")));
    hubUrl = Files.readString(dir.resolve("hub.ready")).trim();
    for (int i = 0; i < 2; i++) {
      processes.add(Launcher.start(dir.resolve("s" + i + ".log"), "session", "--hub", hubUrl, "--base-port",
          String.valueOf(base), "--max-port", String.valueOf(base + 9), "--name", "live" + i, "--tag", "it=live"));
    }
    Poll.until(Duration.ofSeconds(60), "two sessions announced", () -> {
      try {
        Launcher.Result r = Launcher.run(60, "ls", SELECTOR, "--hub", hubUrl, "--json");
        return r.exitCode() == 0 && new JsonObject(r.stdout()).getInteger("count") == 2;
      } catch (Exception e) {
        return false;
      }
    });
    JsonArray sessions = new JsonObject(Launcher.run(60, "ls", SELECTOR, "--hub", hubUrl, "--json").stdout())
        .getJsonArray("sessions");
    sessions.forEach(s -> addresses.add(((JsonObject) s).getString("address")));
    // The first command of a session starts its Python: do it here, not inside a test's timing.
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
  void sendStreamsIntoAPipe() throws Exception {
    Path code = Files.writeString(dir.resolve("ticks.py"), TICKS + "import sys\nsys.stdout.write('end')\n");
    Piped run = Piped.run("send", addresses.get(0), "@" + code, "--hub", hubUrl);
    assertEquals(0, run.exitCode, run.stderr);
    assertEquals(21, run.lines.size(), run.lines.toString());
    for (int i = 0; i < 20; i++) {
      Matcher m = LINE.matcher(run.lines.get(i).text());
      assertTrue(m.matches(), run.lines.get(i).text());
      assertEquals(i, Integer.parseInt(m.group(1)), "each line once, in order: " + run.lines);
    }
    assertEquals("end", run.lines.get(20).text(), "the unfinished last line, once");
    assertLive(run.lines.get(0), run.lines.get(19));
  }

  @Test
  void broadcastFollowPrefixesEachSessionsLinesAsTheyCome() throws Exception {
    Path code = Files.writeString(dir.resolve("ticks-end.py"), TICKS + "import sys\nsys.stdout.write('end')\n");
    Piped run = Piped.run("broadcast", SELECTOR, "@" + code, "--follow", "--hub", hubUrl);
    assertEquals(0, run.exitCode, run.stderr);
    for (String address : addresses) {
      String prefix = address + ": ";
      List<Piped.Line> own = run.lines.stream().filter(l -> l.text().startsWith(prefix)).toList();
      assertEquals(21, own.size(), run.lines.toString());
      for (int i = 0; i < 20; i++) {
        Matcher m = LINE.matcher(own.get(i).text().substring(prefix.length()));
        assertTrue(m.matches(), own.get(i).text());
        assertEquals(i, Integer.parseInt(m.group(1)), "each line once, in order: " + own);
      }
      assertEquals(prefix + "end", own.get(20).text(), "the unfinished last line at the session's result");
      assertLive(stripped(own.get(0), prefix), stripped(own.get(19), prefix));
    }
    List<String> texts = run.lines.stream().map(Piped.Line::text).toList();
    int table = texts.indexOf(texts.stream().filter(t -> t.startsWith("ADDRESS")).findFirst().orElseThrow());
    assertEquals(42, table, "the rows follow the lines: " + texts);
    assertTrue(texts.get(texts.size() - 1).startsWith("2 sessions: 2 ok (job "), texts.toString());
  }

  @Test
  void aTerminalShowsLinesAsTheyComeAndCtrlCLeavesTheJobRunning() throws Exception {
    if (!TmuxTerminal.available()) {
      String why = "tmux is not installed (ops/bin/install-test-deps installs it): this case needs a real terminal";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Path go = dir.resolve("go");
    Path stop = dir.resolve("stop");
    // The command prints one line, then waits for the test to have seen it before printing the next.
    Path code = Files.writeString(dir.resolve("handshake.py"), "import os, time\n"
        + "print('first live line')\n"
        + "deadline = time.time() + 60\n"
        + "while not os.path.exists(" + pyString(go) + ") and time.time() < deadline:\n"
        + "    time.sleep(0.02)\n"
        + "print('second live line' if os.path.exists(" + pyString(go) + ") else 'never saw it')\n");
    Path waits = Files.writeString(dir.resolve("waits.py"), "import os, time\n"
        + "print('waiting for stop')\n"
        + "deadline = time.time() + 60\n"
        + "while not os.path.exists(" + pyString(stop) + ") and time.time() < deadline:\n"
        + "    time.sleep(0.02)\n"
        + "print('stopped')\n");
    String launcher = Launcher.script().toString();
    try (TmuxTerminal terminal = TmuxTerminal.open(Files.createDirectory(dir.resolve("tmux")), dir)) {
      terminal.type(launcher + " send " + addresses.get(1) + " @" + code + " --hub " + hubUrl + "; echo \"exit=$?\"");
      Poll.until(Duration.ofSeconds(60), "the first line on the terminal while the command waits",
          () -> screen(terminal).contains("first live line"));
      assertTrue(!screen(terminal).contains("second live line"), screen(terminal));
      Files.createFile(go);
      Poll.until(Duration.ofSeconds(60), "the second line and the exit code",
          () -> screen(terminal).contains("exit=0"));
      assertTrue(screen(terminal).contains("second live line"), screen(terminal));

      terminal.type(launcher + " send " + addresses.get(1) + " @" + waits + " --hub " + hubUrl + "; echo \"exit=$?\"");
      Poll.until(Duration.ofSeconds(60), "the waiting command's first line",
          () -> screen(terminal).contains("waiting for stop"));
      terminal.keys("C-c");
      Pattern hint = Pattern.compile("job ([0-9a-f-]{36}) keeps running on the hub; read it with: sessionhub job");
      Poll.until(Duration.ofSeconds(30), "the hint after Ctrl-C", () -> hint.matcher(screen(terminal)).find());
      Matcher m = hint.matcher(screen(terminal));
      assertTrue(m.find());
      String id = m.group(1);
      Launcher.Result running = Launcher.run(60, "job", id, "--hub", hubUrl, "--json");
      assertEquals("running", new JsonObject(running.stdout()).getString("state"), running.stdout());
      Files.createFile(stop);
      Launcher.Result followed = Launcher.run(60, "job", id, "--follow", "--hub", hubUrl);
      assertEquals(0, followed.exitCode(), followed.stdout() + followed.stderr());
      assertTrue(followed.stdout().contains("1 session: 1 ok (job " + id + ")"), followed.stdout());
    }
  }

  /** The line was live: on stdout within 1.2 s of its printing, and over a second before the last was printed. */
  private static void assertLive(Piped.Line first, Piped.Line last) {
    Matcher f = LINE.matcher(first.text());
    Matcher l = LINE.matcher(last.text());
    assertTrue(f.matches() && l.matches(), first + " / " + last);
    long printed = Long.parseLong(f.group(2));
    long lastPrinted = Long.parseLong(l.group(2));
    assertTrue(lastPrinted - printed >= 1800, "the command took its 2 s: " + first + " / " + last);
    assertTrue(first.receivedAtMillis() - printed < 1200, "the first line reached stdout "
        + (first.receivedAtMillis() - printed) + " ms after the session printed it");
    assertTrue(first.receivedAtMillis() < lastPrinted - 600, "the first line reached stdout only "
        + (lastPrinted - first.receivedAtMillis()) + " ms before the last was printed");
  }

  private static Piped.Line stripped(Piped.Line line, String prefix) {
    return new Piped.Line(line.text().substring(prefix.length()), line.receivedAtMillis());
  }

  private static String screen(TmuxTerminal terminal) {
    try {
      return terminal.screen();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String pyString(Path path) {
    return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A run of the launcher with stdout a pipe, each line stamped with the wall-clock time it arrived. */
  private record Piped(int exitCode, List<Line> lines, String stderr) {

    record Line(String text, long receivedAtMillis) {
    }

    static Piped run(String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of(Launcher.script().toString()));
      command.addAll(List.of(args));
      Path err = Files.createTempFile(dir, "err", ".txt");
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      List<Line> lines = new ArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            synchronized (lines) {
              lines.add(new Line(line, System.currentTimeMillis()));
            }
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "stdout-reader");
      reader.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("sessionhub " + String.join(" ", args) + " did not finish in 60 s");
      }
      reader.join(10_000);
      synchronized (lines) {
        return new Piped(p.exitValue(), List.copyOf(lines), Files.readString(err, StandardCharsets.UTF_8));
      }
    }
  }
}
