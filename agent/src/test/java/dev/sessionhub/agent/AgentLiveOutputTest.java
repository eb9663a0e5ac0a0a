package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.JavaAgentUnderTest;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.ProcessHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Agent contract 0.3's live output, over a real loopback port with the Apache XML-RPC client: {@code output(id,
 * cursor, wait)} follows what a command submitted with {@code command(code, seconds, id)} prints while it runs,
 * bounded to its first and last 524288 characters. Written once and run against every implementation: the Java
 * agent here, the Python agent under python3 and CPython 2.7 in {@link PythonAgentLiveOutputTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentLiveOutputTest {

  private static final int KEPT = 524_288;
  private static final int MAX_TEXT = 65_536;

  private AgentUnderTest agent;
  private int ids;

  /** The implementation under test; subclasses name theirs. */
  protected AgentUnderTest.Factory implementation() {
    return JavaAgentUnderTest::start;
  }

  @BeforeAll
  void start() throws Exception {
    agent = implementation().start(new AgentOptions().setPort(FreePorts.one()));
    assertEquals("1\n", call("command", "print(1)"), "the session runs commands (and its Python is warm)");
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private XmlRpcClient client() throws Exception {
    return agent.xmlRpcClient(120_000);
  }

  private Object call(String method, Object... params) throws Exception {
    return client().execute(method, params);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> output(String id, long cursor, double wait) throws Exception {
    Object position = cursor <= Integer.MAX_VALUE ? (Object) (int) cursor : (Object) cursor;
    return (Map<String, Object>) call("output", id, position, wait);
  }

  private String newId(String what) {
    return what + "/" + agent.label() + "/" + (++ids);
  }

  /** A command run by another client; its reply (or failure) and the time it arrived. */
  private record Submitted(CompletableFuture<Object> reply, AtomicLong repliedAt) {
  }

  private Submitted submit(String code, double seconds, String id) {
    AtomicLong repliedAt = new AtomicLong();
    CompletableFuture<Object> reply = CompletableFuture.supplyAsync(() -> {
      try {
        return client().execute("command", new Object[] {code, seconds, id});
      } catch (Exception e) {
        throw new CompletionException(e);
      } finally {
        repliedAt.set(System.nanoTime());
      }
    });
    return new Submitted(reply, repliedAt);
  }

  /** Waits until the agent knows the command (its submission travels on another connection). */
  private Map<String, Object> known(String id) {
    List<Map<String, Object>> last = new ArrayList<>();
    Poll.until(Duration.ofSeconds(20), "the agent knows command " + id, () -> {
      try {
        last.add(0, output(id, 0, 0));
        return !"unknown".equals(last.get(0).get("state"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return last.get(0);
  }

  /** Everything a follower reads from cursor 0 until the command ended and nothing more is waiting. */
  private record Followed(String text, long firstTextAt, List<String> states, long skipped, long cursor) {
  }

  private Followed follow(String id, long giveUpAfterNanos) throws Exception {
    StringBuilder text = new StringBuilder();
    List<String> states = new ArrayList<>();
    long firstTextAt = 0;
    long cursor = 0;
    long skipped = 0;
    long deadline = System.nanoTime() + giveUpAfterNanos;
    while (true) {
      Map<String, Object> answer = output(id, cursor, 5.0);
      String state = (String) answer.get("state");
      if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
        states.add(state);
      }
      String piece = (String) answer.get("text");
      assertTrue(piece.length() <= MAX_TEXT, "at most 65536 characters per answer: " + piece.length());
      if (!piece.isEmpty() && firstTextAt == 0) {
        firstTextAt = System.nanoTime();
      }
      text.append(piece);
      skipped += ((Number) answer.get("skipped")).longValue();
      cursor = ((Number) answer.get("cursor")).longValue();
      if (("ended".equals(state) || "unknown".equals(state)) && !(Boolean) answer.get("more")) {
        return new Followed(text.toString(), firstTextAt, states, skipped, cursor);
      }
      assertTrue(System.nanoTime() < deadline, "the follower of " + id + " is still reading: " + states);
    }
  }

  @Test
  void linesAreReadWhileTheCommandRunsAndAddUpToItsResult() throws Exception {
    String id = newId("lines");
    long submitted = System.nanoTime();
    Submitted command = submit("import time\nfor i in range(20):\n    print('line %d' % i)\n    time.sleep(0.1)",
        30.0, id);
    Map<String, Object> first = known(id);
    assertTrue(List.of("queued", "running").contains(first.get("state")), "while it runs: " + first);
    Followed followed = follow(id, TimeUnit.SECONDS.toNanos(30));
    String result = (String) command.reply().get(30, TimeUnit.SECONDS);

    assertEquals(result, followed.text(), "what the follower read is what the command returned");
    assertTrue(result.startsWith("line 0\nline 1\n") && result.endsWith("line 19\n"), result);
    long firstMs = TimeUnit.NANOSECONDS.toMillis(followed.firstTextAt() - submitted);
    long replyMs = TimeUnit.NANOSECONDS.toMillis(command.repliedAt().get() - submitted);
    assertTrue(firstMs < 1000, "the first line was read " + firstMs + " ms after submitting (reply: " + replyMs + ")");
    assertTrue(replyMs >= 1900, "the command's reply came " + replyMs + " ms after submitting");
    assertTrue(replyMs - firstMs >= 1000, "first line " + firstMs + " ms, reply " + replyMs + " ms");
    assertEquals("ended", followed.states().get(followed.states().size() - 1), followed.states()::toString);
    assertFalse(followed.states().contains("unknown"), followed.states()::toString);
    assertEquals(0, followed.skipped());

    Map<String, Object> again = output(id, 0, 0);
    assertEquals("ended", again.get("state"), "an ended command's output stays readable");
    assertEquals(id, again.get("id"));
    assertEquals(result.substring(0, Math.min(result.length(), MAX_TEXT)), again.get("text"));
  }

  @Test
  void aPrintedLineReachesAWaitingFollowerAtOnce() throws Exception {
    String id = newId("latency");
    Submitted command = submit("import time\nfor i in range(5):\n    time.sleep(0.2)\n    print('%.3f' % time.time())",
        30.0, id);
    known(id);
    List<Long> latencies = new ArrayList<>();
    long cursor = 0;
    while (latencies.size() < 5) {
      Map<String, Object> answer = output(id, cursor, 10.0);
      double arrived = System.currentTimeMillis() / 1000.0;
      cursor = ((Number) answer.get("cursor")).longValue();
      for (String line : ((String) answer.get("text")).split("\n")) {
        if (!line.isEmpty()) {
          latencies.add(Math.round((arrived - Double.parseDouble(line)) * 1000));
        }
      }
      assertFalse("ended".equals(answer.get("state")) && !(Boolean) answer.get("more") && latencies.size() < 5,
          "ended after " + latencies.size() + " lines");
    }
    command.reply().get(30, TimeUnit.SECONDS);
    List<Long> sorted = new ArrayList<>(latencies);
    sorted.sort(null);
    assertTrue(sorted.get(2) < 100, "a waiting output() call answers a printed line within a few ms, not after a "
        + "poll interval: latencies (ms) " + latencies);
  }

  @Test
  void aCommandQueuedBehindAnotherIsQueuedAndAnUnknownIdIsUnknown() throws Exception {
    java.nio.file.Path release = java.nio.file.Files.createTempFile("release", ".flag");
    java.nio.file.Files.delete(release);
    String blockerId = newId("blocker");
    String queuedId = newId("queued");
    Submitted blocker = submit("import os, time\nprint('blocking')\nwhile not os.path.exists("
        + pyString(release.toString()) + "):\n    time.sleep(0.01)", 60.0, blockerId);
    Poll.until(Duration.ofSeconds(20), "the blocker running", () -> state(blockerId).equals("running"));
    Submitted queued = submit("print('after')", 60.0, queuedId);
    CompletableFuture<Map<String, Object>> longPoll = CompletableFuture.supplyAsync(() -> {
      try {
        return output(blockerId, "blocking\n".length(), 20.0);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
    try {
      long pollStarted = System.nanoTime();
      while (System.nanoTime() - pollStarted < TimeUnit.SECONDS.toNanos(1)) {  // the poll reaches its wait meanwhile
        long asked = System.nanoTime();
        assertTrue(call("server_data") instanceof Map, "server_data is answered while an output() call waits");
        assertTrue(System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(5), "answered at once");
      }
      assertFalse(longPoll.isDone(), "the output() call is still waiting for output: " + longPoll);
      Map<String, Object> behind = known(queuedId);
      assertEquals("queued", behind.get("state"), behind::toString);
      assertEquals("", behind.get("text"));
      assertEquals(0, ((Number) behind.get("cursor")).intValue());
      assertEquals(Boolean.FALSE, behind.get("more"));
      Map<String, Object> waited = output(queuedId, 0, 0.3);
      assertEquals("queued", waited.get("state"), "a queued command waited for stays queued: " + waited);
    } finally {
      java.nio.file.Files.createFile(release);
    }
    assertEquals("blocking\n", blocker.reply().get(30, TimeUnit.SECONDS));
    Map<String, Object> woken = longPoll.get(30, TimeUnit.SECONDS);
    assertEquals("ended", woken.get("state"), "the waiting output() call answers when its command ends: " + woken);
    assertEquals("", woken.get("text"));
    Followed followed = follow(queuedId, TimeUnit.SECONDS.toNanos(30));
    assertEquals("after\n", queued.reply().get(30, TimeUnit.SECONDS));
    assertEquals("after\n", followed.text());
    assertEquals("ended", followed.states().get(followed.states().size() - 1));

    Map<String, Object> unknown = output("no-such-command", 0, 0);
    assertEquals(Map.of("id", "no-such-command", "state", "unknown", "text", "", "cursor", 0, "skipped", 0,
        "more", false), unknown);
    long began = System.nanoTime();
    assertEquals("unknown", output("no-such-command", 0, 2.0).get("state"));
    assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(1), "an unknown id is answered without waiting");
  }

  @Test
  void fiftyMegabytesOfOutputAreKeptAsHeadAndTailWithBoundedMemory() throws Exception {
    String id = newId("flood");
    int lines = 50_000;
    long total = 1000L * lines;
    ProcessHealth before = agent.health();
    AtomicLong peak = new AtomicLong(before.heapBytes());
    // the agent's memory, sampled every 50 ms while the command runs (a fixed-rate sampler, not a wait)
    java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors
        .newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "memory-sampler");
          t.setDaemon(true);
          return t;
        });
    sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(agent.health().heapBytes(), Math::max), 0, 50,
        TimeUnit.MILLISECONDS);
    Submitted command = submit("for i in range(" + lines + "):\n    print('%07d' % i + 'x' * 992)", 120.0, id);
    known(id);

    StringBuilder head = new StringBuilder();
    StringBuilder sinceLastSkip = new StringBuilder();
    long cursor = 0;
    long skipped = 0;
    long read = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      Map<String, Object> answer = output(id, cursor, 5.0);
      String piece = (String) answer.get("text");
      long jumped = ((Number) answer.get("skipped")).longValue();
      assertTrue(piece.length() <= MAX_TEXT, "at most 65536 characters per answer");
      if (jumped > 0) {
        assertTrue(cursor + jumped >= KEPT, "only characters past the head are ever skipped");
        sinceLastSkip.setLength(0);
      }
      skipped += jumped;
      read += piece.length();
      if (head.length() < KEPT) {
        head.append(piece, 0, Math.min(piece.length(), KEPT - head.length()));
      }
      sinceLastSkip.append(piece);
      if (sinceLastSkip.length() > 4 * KEPT) {
        sinceLastSkip.delete(0, sinceLastSkip.length() - KEPT);
      }
      long next = ((Number) answer.get("cursor")).longValue();
      assertEquals(cursor + jumped + piece.length(), next, "the cursor moves by what was skipped and read");
      cursor = next;
      if ("ended".equals(answer.get("state")) && !(Boolean) answer.get("more")) {
        break;
      }
      assertTrue(System.nanoTime() < deadline, "the follower is still reading at cursor " + cursor);
    }
    String result = (String) command.reply().get(120, TimeUnit.SECONDS);
    sampler.shutdown();
    assertTrue(sampler.awaitTermination(30, TimeUnit.SECONDS), "the memory sampler stopped");

    String expectedHead = lines(0, 525).substring(0, KEPT);
    String allTail = lines(lines - 525, lines);
    String expectedTail = allTail.substring(allTail.length() - KEPT);
    String marker = "\n[output truncated: " + (total - 2L * KEPT) + " characters not kept]\n";
    assertEquals(KEPT + marker.length() + KEPT, result.length(), "head + marker + tail");
    assertEquals(expectedHead, result.substring(0, KEPT));
    assertEquals(marker, result.substring(KEPT, KEPT + marker.length()));
    assertEquals(expectedTail, result.substring(KEPT + marker.length()));

    assertEquals(total, cursor, "the follower ends at the end of everything printed");
    assertEquals(total, read + skipped, "every character was either read or skipped");
    assertEquals(expectedHead, head.toString(), "the head is never skipped");
    String last = sinceLastSkip.toString();
    int common = Math.min(last.length(), KEPT);
    assertEquals(expectedTail.substring(KEPT - common), last.substring(last.length() - common),
        "what the follower read since its last jump ends as the kept tail");
    assertTrue(skipped > 0 || read == total, "skipped " + skipped + ", read " + read);

    long grownMb = (peak.get() - before.heapBytes()) / (1024 * 1024);
    assertTrue(grownMb < 150, agent.label() + " grew by " + grownMb + " MiB while printing 50 MB (before: "
        + before + ")");
    assertEquals("still serving\n", call("command", "print('still serving')"));
  }

  /** Lines from..to-1 as the flood command prints them: a 7-digit number, 992 'x', a newline. */
  private static String lines(int from, int to) {
    StringBuilder s = new StringBuilder();
    String xs = "x".repeat(992);
    for (int i = from; i < to; i++) {
      s.append(String.format("%07d", i)).append(xs).append('\n');
    }
    return s.toString();
  }

  @Test
  void badParamsAreInvalidParamsAndTheAgentServesOn() throws Exception {
    String id = newId("bad");
    assertEquals("ready\n", submit("print('ready')", 30.0, id).reply().get(30, TimeUnit.SECONDS));
    Object[][] cases = {
        {},
        {id},
        {id, 0},
        {id, 0, 1.0, "extra"},
        {7, 0, 1.0},
        {"x".repeat(201), 0, 1.0},
        {id, -1, 1.0},
        {id, 1.5, 1.0},
        {id, "0", 1.0},
        {id, true, 1.0},
        {id, 0, -0.5},
        {id, 0, 30.5},
        {id, 0, "soon"},
        {id, 0, false},
    };
    for (Object[] params : cases) {
      XmlRpcException fault = assertThrows(XmlRpcException.class, () -> client().execute("output", params),
          () -> "output" + java.util.Arrays.toString(params));
      assertEquals(-32602, fault.code, () -> "output" + java.util.Arrays.toString(params) + ": " + fault.getMessage());
      assertFalse(fault.getMessage().isBlank());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> intWait = (Map<String, Object>) call("output", id, 0, 0);
    assertEquals("ready\n", intWait.get("text"), "wait may be an int: 0");
    assertEquals("ended", output(id, 0, 30).get("state"), "30 s is the longest wait");
    assertEquals("2\n", call("command", "print(1 + 1)"), "the session still serves");
  }

  @Test
  void theMethodsAreListedWithHelpAndTheVersionSaysSo() throws Exception {
    List<Object> methods = List.of((Object[]) call("system.listMethods"));
    assertTrue(methods.containsAll(List.of("command", "cancel", "output")), methods::toString);
    assertTrue(((String) call("system.methodHelp", "output")).contains("cursor"));
    assertTrue(((String) call("system.methodHelp", "cancel")).contains("id"));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) call("server_data");
    assertEquals("0.3.0", data.get("agent_version"));
  }

  private String state(String id) {
    try {
      return (String) output(id, 0, 0).get("state");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pyString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
