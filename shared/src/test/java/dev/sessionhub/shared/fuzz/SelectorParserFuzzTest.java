package dev.sessionhub.shared.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.selector.Glob;
import dev.sessionhub.shared.selector.Selector;
import dev.sessionhub.shared.selector.SelectorField;
import dev.sessionhub.shared.selector.SelectorSubject;
import dev.sessionhub.shared.selector.SelectorSyntaxException;
import dev.sessionhub.shared.selector.SelectorTerm;
import dev.sessionhub.shared.selector.SessionInfoSubject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link Selector#parse} and matching. The input is UTF-8 text: the selector, then optionally a NUL and
 * {@code field=value} lines describing one more session to match against (see {@link #subject}).
 *
 * <p>Properties: parsing either succeeds or throws {@link SelectorSyntaxException} whose position and term point
 * at the offending text; the canonical {@link Selector#toString()} parses back to an equal selector with the same
 * text; matching never throws, and the re-parsed selector matches exactly the same sessions; a term and its
 * negation always disagree; a term rebuilt through the public {@link SelectorTerm} constructor equals the parsed
 * one; any value, glob-escaped, matches itself.
 *
 * <p>Seeds: {@code src/test/resources/dev/sessionhub/shared/fuzz/SelectorParserFuzzTestInputs/parseAndMatch/}.
 */
class SelectorParserFuzzTest {
  private static final List<SessionInfoSubject> SESSIONS = List.of(
      new SessionInfoSubject(new SessionInfo("render01", "4.1.0", "/shows/my show/sh010/light_v3.blend",
          "blender", List.of("Cube", "Camera", "Light", "a,b", "say \"hi\""), 1234, 8001, "a1b2c3", "blender",
          "0.1.0", "2024-05-01T10:00:00Z", true, false, "alice", Map.of("show", "abc", "name", "lighting")),
          "10.1.2.5", "scan", null),
      new SessionInfoSubject(new SessionInfo("ws-12", "", "", "java", List.of(), 99, 8010, "zz9", "headless",
          "0.1.0", "", true, true, "bob", Map.of()), "127.0.0.1", "announce", "Bob's"),
      new SessionInfoSubject(new SessionInfo("", "", "C:\\proj\\[x]*?.ma", "maya", List.of("ÅSTRÖM", "ǅ", "𝔘"),
          0, 0, "", "", "", "", false, false, "", Map.of("k", ""))));

  @FuzzTest(maxDuration = "20s")
  void parseAndMatch(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int nul = text.indexOf('\0');
    String selectorText = nul < 0 ? text : text.substring(0, nul);
    List<SessionInfoSubject> sessions = new ArrayList<>(SESSIONS);
    if (nul >= 0) {
      sessions.add(subject(text.substring(nul + 1)));
    }

    Selector selector;
    try {
      selector = Selector.parse(selectorText);
    } catch (SelectorSyntaxException e) {
      assertNotNull(e.getMessage());
      assertNotNull(e.term());
      assertTrue(e.position() >= 0 && selectorText.startsWith(e.term(), e.position()),
          () -> "error points at '" + e.term() + "' at " + e.position());
      return;
    }

    String canonical = selector.toString();
    Selector again = reparse(canonical);
    assertEquals(selector, again, canonical);
    assertEquals(selector.hashCode(), again.hashCode());
    assertEquals(canonical, again.toString());

    for (SessionInfoSubject session : sessions) {
      boolean matches = selector.matches(session);
      assertEquals(matches, again.matches(session), () -> "re-parsed '" + canonical + "' matches differently");
      boolean all = true;
      for (SelectorTerm term : selector.terms()) {
        boolean holds = term.matches(session);
        all &= holds;
        SelectorTerm negation = new SelectorTerm(term.field(), term.tagKey(), term.globs(), !term.negated());
        assertEquals(!holds, negation.matches(session), () -> "'" + term + "' and '" + negation + "' agree");
      }
      assertEquals(all, matches);
      escapedValuesMatchThemselves(session);
    }
    for (SelectorTerm term : selector.terms()) {
      SelectorTerm rebuilt =
          new SelectorTerm(term.field(), term.tagKey(), new ArrayList<>(term.globs()), term.negated());
      assertEquals(term, rebuilt);
      assertEquals(term.toString(), rebuilt.toString());
    }
  }

  private static Selector reparse(String canonical) {
    try {
      return Selector.parse(canonical);
    } catch (SelectorSyntaxException e) {
      throw new AssertionError("canonical text '" + canonical + "' does not parse: " + e.getMessage(), e);
    }
  }

  /** Every value of the session, with its glob characters escaped, is a pattern that matches just it. */
  private static void escapedValuesMatchThemselves(SelectorSubject session) {
    for (SelectorField field : SelectorField.values()) {
      for (String value : session.values(field, field == SelectorField.TAG ? "name" : null)) {
        StringBuilder escaped = new StringBuilder();
        value.codePoints().forEach(c -> {
          if ("*?[]\\".indexOf(c) >= 0) {
            escaped.append('\\');
          }
          escaped.appendCodePoint(c);
        });
        for (boolean ci : new boolean[] {false, true}) {
          assertTrue(Glob.compile(escaped.toString(), ci).matches(value), () -> "'" + escaped + "' vs " + value);
          assertTrue(Glob.compile("*", ci).matches(value));
        }
      }
    }
  }

  /**
   * A session from {@code field=value} lines: {@code host} sets the reported hostname, then the address host;
   * {@code object} adds a scene object; {@code tag.K} sets tag K; {@code port} is decimal; {@code source} and
   * {@code name} are what the hub knows. Other lines are ignored.
   */
  static SessionInfoSubject subject(String spec) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> objects = new ArrayList<>();
    Map<String, String> tags = new LinkedHashMap<>();
    String addressHost = null;
    for (String line : spec.split("\n", -1)) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (key.startsWith("tag.")) {
        tags.put(key.substring(4), value);
      } else if (key.equals("object")) {
        objects.add(value);
      } else if (key.equals("host") && fields.containsKey("host")) {
        addressHost = value;
      } else {
        fields.putIfAbsent(key, value);
      }
    }
    int port;
    try {
      port = Integer.parseInt(fields.getOrDefault("port", "0"));
    } catch (NumberFormatException e) {
      port = 0;
    }
    SessionInfo info = new SessionInfo(fields.get("host"), "", fields.get("file"), fields.get("exe"), objects, 1,
        port, fields.get("id"), fields.get("app"), "", "", false, false, fields.get("user"), tags);
    return new SessionInfoSubject(info, addressHost, fields.get("source"), fields.get("name"));
  }
}
