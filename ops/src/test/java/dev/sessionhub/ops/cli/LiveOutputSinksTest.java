package dev.sessionhub.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What {@code send} ({@link RawOutput}) and {@code broadcast --follow} ({@link PrefixedLines}) print for the
 * streams a farm rarely produces on demand: pieces cut mid-line and mid-character run, an agent without live
 * output, pieces that are not the start of the final output, skipped characters. The live path itself (real hub,
 * sessions, pipes and a terminal) is LiveOutputProgramIT.
 */
class LiveOutputSinksTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
  private final PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);

  private static JsonObject ok(String address, String output) {
    return new JsonObject().put("address", address).put("state", "ok").put("output", output);
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void sendPrintsPiecesThenOnlyTheRestOfTheFinalOutput() {
    RawOutput raw = new RawOutput(stdout, stderr);
    raw.output("a:1", "h\u00e9l", 0);
    raw.output("a:1", "lo\nwor", 0);
    assertEquals("h\u00e9llo\nwor", printed(), "each piece as it comes");
    raw.ended(ok("a:1", "h\u00e9llo\nworld\n"));
    assertEquals("h\u00e9llo\nworld\n", printed());
  }

  @Test
  void sendPrintsTheWholeOutputOfAnAgentWithoutLiveOutput() {
    RawOutput raw = new RawOutput(stdout, stderr);
    raw.ended(ok("a:1", "all at the end\n"));
    assertEquals("all at the end\n", printed());
  }

  @Test
  void sendPrintsNothingMoreWhenThePiecesAreNotTheStartOfTheFinalOutput() {
    RawOutput raw = new RawOutput(stdout, stderr);
    raw.output("a:1", "head\n[output truncated]\ntail", 0);
    raw.ended(ok("a:1", "head\nmiddle\ntail\n"));
    assertEquals("head\n[output truncated]\ntail", printed());

    RawOutput skipped = new RawOutput(stdout, stderr);
    out.reset();
    skipped.output("a:1", "x", 0);
    skipped.output("a:1", "z", 5);
    skipped.ended(ok("a:1", "xz and more"));
    assertEquals("xz", printed(), "after a gap the final output is not appended");
    assertEquals("sessionhub: a:1: 5 characters of output were not kept\n", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void sendPrintsNoMoreForAFailedCommand() {
    RawOutput raw = new RawOutput(stdout, stderr);
    raw.output("a:1", "before\n", 0);
    raw.ended(new JsonObject().put("address", "a:1").put("state", "error").put("message", "boom"));
    assertEquals("before\n", printed());
  }

  @Test
  void followPrintsCompleteLinesPrefixedAndHoldsAPartialLineUntilItsNewlineOrResult() {
    PrefixedLines lines = new PrefixedLines(stdout);
    lines.output("a:1", "one\ntw", 0);
    lines.output("b:2", "x", 0);
    assertEquals("a:1: one\n", printed());
    lines.output("a:1", "o\r\nthr", 0);
    assertEquals("a:1: one\na:1: two\n", printed());
    lines.ended(ok("b:2", "xy\nz"));
    assertEquals("a:1: one\na:1: two\nb:2: xy\nb:2: z\n", printed(), "the rest of b's output at its result");
    lines.ended(ok("a:1", "one\ntwo\r\nthree"));
    assertEquals("a:1: one\na:1: two\nb:2: xy\nb:2: z\na:1: three\n", printed());
  }

  @Test
  void followShowsAGapAndThenOnlyWhatTheStreamShows() {
    PrefixedLines lines = new PrefixedLines(stdout);
    lines.output("a:1", "start\n", 0);
    lines.output("a:1", "end", 7);
    lines.ended(ok("a:1", "start\nmiddle\nend\nmore\n"));
    assertEquals("a:1: start\na:1: [7 characters of output were not kept]\na:1: end\n", printed());
  }
}
