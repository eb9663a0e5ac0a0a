package dev.sessionhub.shared.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.shared.model.SessionInfo;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorMatchTest {
  /** A Blender lighting session on the farm, found by scanning. */
  static final SessionInfo BLENDER = new SessionInfo("render01", "4.1.0", "/shows/my show/sh010/light_v3.blend",
      "blender", List.of("Cube", "Camera", "Light"), 1234, 8001, "a1b2c3", "blender", "0.1.0",
      "2024-05-01T10:00:00Z", true, false, "alice", Map.of("show", "abc", "name", "lighting"));
  /** A headless Java session with an unsaved file and no objects, that announced itself. */
  static final SessionInfo HEADLESS = new SessionInfo("ws-12", "", "", "java", List.of(), 99, 8010, "zz9",
      "headless", "0.1.0", "", true, true, "bob", Map.of());

  static final SessionInfoSubject A = new SessionInfoSubject(BLENDER, "10.1.2.5", "scan", null);
  static final SessionInfoSubject B = new SessionInfoSubject(HEADLESS, "127.0.0.1", "announce", null);

  static Stream<Arguments> cases() {
    return Stream.of(
        // selector, matches A (blender), matches B (headless)
        Arguments.of("*", true, true),
        Arguments.of("", true, true),
        Arguments.of("app=blender", true, false),
        Arguments.of("app=BLENDER", true, false),
        Arguments.of("APP=Blend*", true, false),
        Arguments.of("app=headless", false, true),
        Arguments.of("exe=JAVA", false, true),
        Arguments.of("host=render0*", true, false),
        Arguments.of("host=RENDER01", true, false),
        Arguments.of("host=10.1.2.*", true, false),
        Arguments.of("host=127.0.0.1", false, true),
        Arguments.of("!host=render*", false, true),
        Arguments.of("object=Cube", true, false),
        Arguments.of("object=cube", false, false),
        Arguments.of("object=Cam*", true, false),
        Arguments.of("object=[CL]*", true, false),
        Arguments.of("!object=Cube", false, true),
        Arguments.of("!object=*", false, true),
        Arguments.of("tag.show=abc", true, false),
        Arguments.of("tag.show=ABC", false, false),
        Arguments.of("tag.Show=abc", false, false),
        Arguments.of("TAG.show=a?c", true, false),
        Arguments.of("!tag.show=abc", false, true),
        Arguments.of("tag.missing=*", false, false),
        Arguments.of("file=*sh010*", true, false),
        Arguments.of("file=*SH010*", false, false),
        Arguments.of("file=\"/shows/my show/*\"", true, false),
        Arguments.of("file=/shows/my*", true, false),
        Arguments.of("file=*", true, false),
        Arguments.of("!file=*", false, true),
        Arguments.of("port=8001", true, false),
        Arguments.of("port=80*", true, true),
        Arguments.of("port=800?", true, false),
        Arguments.of("port=801[0-9]", false, true),
        Arguments.of("id=a1b2c3", true, false),
        Arguments.of("id=A1B2C3", false, false),
        Arguments.of("user=ALICE", true, false),
        Arguments.of("source=scan", true, false),
        Arguments.of("source=ANNOUNCE", false, true),
        Arguments.of("name=lighting", true, false),
        Arguments.of("name=*", true, false),
        Arguments.of("!name=*", false, true),
        Arguments.of("app=maya,blender", true, false),
        Arguments.of("app=maya,blender,headless", true, true),
        Arguments.of("!app=maya,houdini", true, true),
        Arguments.of("app!=blender", false, true),
        Arguments.of("app=blender port=8002", false, false),
        Arguments.of("app=blender,headless user=bob", false, true),
        Arguments.of("app=blender host=render0* object=Cube tag.show=abc file=*sh010* port=8001 id=a1b2c3",
            true, false));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}, {2}")
  @MethodSource("cases")
  void matchesSessions(String selector, boolean matchesA, boolean matchesB) throws Exception {
    Selector s = Selector.parse(selector);
    assertEquals(matchesA, s.matches(A), "blender session");
    assertEquals(matchesB, s.matches(B), "headless session");
    Selector again = Selector.parse(s.toString());
    assertEquals(matchesA, again.matches(A));
    assertEquals(matchesB, again.matches(B));
  }

  @Test
  void subjectValues() {
    assertEquals(List.of("render01", "10.1.2.5"), A.values(SelectorField.HOST, null));
    assertEquals(List.of("render01"), new SessionInfoSubject(BLENDER, "render01", null, null)
        .values(SelectorField.HOST, null));
    assertEquals(List.of("8001"), A.values(SelectorField.PORT, null));
    assertEquals(List.of(), B.values(SelectorField.FILE, null));
    assertEquals(List.of(), B.values(SelectorField.NAME, null));
    assertEquals(List.of(), A.values(SelectorField.TAG, "nope"));
    assertEquals(List.of(), new SessionInfoSubject(BLENDER).values(SelectorField.SOURCE, null));
    assertEquals(BLENDER, A.info());
  }

  @Test
  void givenNameWinsOverTheNameTag() throws Exception {
    SessionInfoSubject named = new SessionInfoSubject(BLENDER, null, null, "comp");
    assertTrue(Selector.parse("name=comp").matches(named));
    assertFalse(Selector.parse("name=lighting").matches(named));
  }

  @Test
  void portZeroAndEmptyHostnameHaveNoValue() throws Exception {
    SessionInfo bare = new SessionInfo("", "", "", "foreign", null, 0, 0, "", null, "", "", false, false, "", null);
    SessionInfoSubject s = new SessionInfoSubject(bare, "10.0.0.9", null, null);
    assertEquals(List.of("10.0.0.9"), s.values(SelectorField.HOST, null));
    assertTrue(Selector.parse("app=foreign !port=* !user=*").matches(s));
  }

  @Test
  void anySubjectWorks() throws Exception {
    SelectorSubject lambda = (field, tagKey) -> field == SelectorField.OBJECT ? List.of("a", "b") : List.of();
    assertTrue(Selector.parse("object=b").matches(lambda));
    assertFalse(Selector.parse("!object=a,z").matches(lambda));
    assertTrue(Selector.parse("!app=*").matches(lambda));
  }
}
