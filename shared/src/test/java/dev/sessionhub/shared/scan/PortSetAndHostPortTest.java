package dev.sessionhub.shared.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PortSetAndHostPortTest {

  @Test
  void portSets() throws Exception {
    PortSet p = PortSet.parse("8010-8020,8000,8002");
    assertEquals(13, p.size());
    assertEquals("8000,8002,8010-8020", p.toString());
    assertTrue(p.contains(8000));
    assertFalse(p.contains(8001));
    assertTrue(p.contains(8002));
    assertTrue(p.contains(8015));
    assertTrue(p.contains(8020));
    assertFalse(p.contains(8021));
    assertFalse(p.contains(1));
    List<Integer> ports = new ArrayList<>();
    p.forEach(ports::add);
    assertEquals(List.of(8000, 8002, 8010, 8011, 8012, 8013, 8014, 8015, 8016, 8017, 8018, 8019, 8020), ports);
    assertEquals(p, PortSet.parse(p.toString()));
    assertEquals(PortSet.parse("1-65535").size(), 65535);
    assertEquals(PortSet.range(8000, 8099), PortSet.parse(TargetParser.DEFAULT_PORTS));
    assertThrows(IllegalArgumentException.class, () -> PortSet.range(0, 10));
    TargetSyntaxException e = assertThrows(TargetSyntaxException.class, () -> PortSet.parse("9000-8000"));
    assertEquals("bad port range '9000-8000' in '9000-8000': start is after end", e.getMessage());
    e = assertThrows(TargetSyntaxException.class, () -> PortSet.parse(""));
    assertEquals("missing ports in ''", e.getMessage());
  }

  static Stream<Arguments> goodAddresses() {
    return Stream.of(
        Arguments.of("host:8000", "host", 8000, "host:8000"),
        Arguments.of(" 10.0.0.1:1 ", "10.0.0.1", 1, "10.0.0.1:1"),
        Arguments.of("[::1]:8000", "::1", 8000, "[::1]:8000"),
        Arguments.of("ws-12.studio.lan:65535", "ws-12.studio.lan", 65535, "ws-12.studio.lan:65535"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("goodAddresses")
  void parsesAddresses(String input, String host, int port, String text) throws Exception {
    HostPort hp = HostPort.parse(input);
    assertEquals(new HostPort(host, port), hp);
    assertEquals(text, hp.toString());
    assertEquals(hp, HostPort.parse(hp.toString()));
  }

  static Stream<Arguments> badAddresses() {
    return Stream.of(
        Arguments.of("host", "missing port in 'host'; write host:port", ""),
        Arguments.of("host:", "missing port in 'host:'; write host:port", ""),
        Arguments.of("[::1]", "missing port in '[::1]'; write host:port", ""),
        Arguments.of("[::1]x", "stray characters 'x' in '[::1]x'", "x"),
        Arguments.of("[::1:80", "unclosed bracket '[::1:80' in '[::1:80'", "[::1:80"),
        Arguments.of("[::g]:80", "bad IPv6 address '[::g]' in '[::g]:80'", "[::g]"),
        Arguments.of("[::\uFF11]:80", "bad IPv6 address '[::\uFF11]' in '[::\uFF11]:80'", "[::\uFF11]"),
        Arguments.of(":80", "missing host in ':80'", ""),
        Arguments.of("h:0", "port 0 out of range 1-65535 in 'h:0'", "0"),
        Arguments.of("h:x", "bad port 'x' in 'h:x'", "x"),
        Arguments.of("::1:80", "stray character ':' in '::1:80'; write IPv6 addresses in brackets, e.g. [::1]:8000",
            ":"),
        Arguments.of("", "empty address", ""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badAddresses")
  void rejectsAddresses(String input, String message, String part) {
    TargetSyntaxException e = assertThrows(TargetSyntaxException.class, () -> HostPort.parse(input));
    assertEquals(message, e.getMessage());
    assertEquals(part, e.part());
  }

  @Test
  void hostPortRecord() {
    assertEquals(new HostPort("::1", 80), new HostPort("[::1]", 80));
    assertThrows(IllegalArgumentException.class, () -> new HostPort("h", 0));
    assertThrows(IllegalArgumentException.class, () -> new HostPort("h", 65536));
    assertThrows(IllegalArgumentException.class, () -> new HostPort("", 80));
  }

  @Test
  void anAddressThisProgramWroteReadsBackWithItsHostKey() {
    for (HostPort written : List.of(new HostPort("render01", 8000), new HostPort("10.0.0.7", 8001),
        new HostPort("::1", 8002), new HostPort("fe80::1%eth0", 8003))) {
      assertEquals(written, HostPort.ofKey(written.toString()));
    }
    assertEquals("[::1]", HostPort.ofKey("[::1]:8000").hostKey());
    assertEquals("::1", HostPort.ofKey("[::1]:8000").host());
    assertEquals("render01", HostPort.ofKey("render01:8000").hostKey());
    assertEquals("[::1]", HostPort.hostKey("[::1]"), "a bracketed host is kept as it is");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.ofKey("::1:8000"));
    assertTrue(e.getMessage().contains("write IPv6 addresses in brackets"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HostPort.ofKey("render01"));
  }
}
