package dev.sessionhub.shared.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // pattern, case-insensitive, input, expected
        Arguments.of("*", false, "", true),
        Arguments.of("*", false, "anything at all", true),
        Arguments.of("**", false, "abc", true),
        Arguments.of("", false, "", true),
        Arguments.of("", false, "a", false),
        Arguments.of("blender", false, "blender", true),
        Arguments.of("blender", false, "blender2", false),
        Arguments.of("blender", false, "Blender", false),
        Arguments.of("blender", true, "BLENDER", true),
        Arguments.of("a*", false, "abc", true),
        Arguments.of("a*", false, "a", true),
        Arguments.of("a*", false, "bac", false),
        Arguments.of("*.blend", false, "shot.blend", true),
        Arguments.of("*.blend", false, "shot.blend1", false),
        Arguments.of("*sh010*", false, "/shows/abc/sh010/x.blend", true),
        Arguments.of("a*b*c", false, "aXbYc", true),
        Arguments.of("a*b*c", false, "aXbY", false),
        Arguments.of("a*b", false, "abab", true),
        Arguments.of("?", false, "", false),
        Arguments.of("?", false, "a", true),
        Arguments.of("?", false, "ab", false),
        Arguments.of("a?c", false, "abc", true),
        Arguments.of("?", false, "\uD83D\uDE00", true),
        Arguments.of("caf?", false, "café", true),
        Arguments.of("[abc]x", false, "bx", true),
        Arguments.of("[abc]x", false, "dx", false),
        Arguments.of("[a-c]", false, "b", true),
        Arguments.of("[a-c]", false, "B", false),
        Arguments.of("[a-c]", true, "B", true),
        Arguments.of("[!a-c]", false, "d", true),
        Arguments.of("[!a-c]", false, "b", false),
        Arguments.of("[^a-c]", false, "b", false),
        Arguments.of("[!a-c]", true, "B", false),
        Arguments.of("render0[1-3]", false, "render02", true),
        Arguments.of("render0[1-3]", false, "render04", false),
        Arguments.of("[-a]", false, "-", true),
        Arguments.of("[a-]", false, "-", true),
        Arguments.of("[\\]]", false, "]", true),
        Arguments.of("a\\*", false, "a*", true),
        Arguments.of("a\\*", false, "ab", false),
        Arguments.of("\\[x]", false, "[x]", true),
        Arguments.of("\\\\", false, "\\", true),
        Arguments.of("a\\?", true, "A?", true),
        Arguments.of("Cube*", false, "cube.001", false),
        Arguments.of("Cube*", true, "cube.001", true),
        Arguments.of("*a*a*a*a*a*b", false, "a".repeat(5000), false),
        Arguments.of("*a*a*a*a*a*b", false, "a".repeat(5000) + "b", true));
  }

  @ParameterizedTest(name = "[{index}] {0} (ci={1}) ~ {2} -> {3}")
  @MethodSource("cases")
  void matches(String pattern, boolean ci, String input, boolean expected) {
    assertEquals(expected, Glob.compile(pattern, ci).matches(input));
  }

  @Test
  void literalsAreRecognisedForTheFastPath() {
    assertTrue(Glob.compile("blender", false).isLiteral());
    assertTrue(Glob.compile("a\\*b", false).isLiteral());
    assertFalse(Glob.compile("a*b", false).isLiteral());
    assertFalse(Glob.compile("[ab]", false).isLiteral());
    assertFalse(Glob.compile("a*", false).matches(null));
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("a[bc", "unclosed '[' (write \\[ for a literal '[')"),
        Arguments.of("a[\\", "unclosed '[' (write \\[ for a literal '[')"),
        Arguments.of("[]", "empty character class '[]'"),
        Arguments.of("[!]", "empty character class '[!]'"),
        Arguments.of("[z-a]", "bad character range 'z-a': start is after end"),
        Arguments.of("a\\", "dangling '\\' at end of value (write \\\\ for a literal '\\')"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("bad")
  void rejectsMalformedPatterns(String pattern, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glob.compile(pattern, false));
    assertEquals(message, e.getMessage());
  }

  @Test
  void equalityIsByPatternAndCase() {
    assertEquals(Glob.compile("a*", true), Glob.compile("a*", true));
    assertEquals(Glob.compile("a*", true).hashCode(), Glob.compile("a*", true).hashCode());
    assertFalse(Glob.compile("a*", true).equals(Glob.compile("a*", false)));
    assertEquals("a*", Glob.compile("a*", true).toString());
  }
}
