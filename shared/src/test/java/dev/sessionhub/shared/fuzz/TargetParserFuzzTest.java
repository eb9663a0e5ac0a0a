package dev.sessionhub.shared.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sessionhub.shared.scan.HostPort;
import dev.sessionhub.shared.scan.PortSet;
import dev.sessionhub.shared.scan.ScanTarget;
import dev.sessionhub.shared.scan.TargetParser;
import dev.sessionhub.shared.scan.TargetSyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * Fuzzes {@link TargetParser}, {@link PortSet#parse} and {@link HostPort#parse} with the same UTF-8 text.
 *
 * <p>Properties: parsing either succeeds or throws {@link TargetSyntaxException} (with a message and a part);
 * a target has 1 to 65,536 hosts and 1 to 65,535 ports; its canonical text parses back to an equal target;
 * expansion is lazy and consistent: the first {@value #WALK} addresses are computed one by one (never the whole
 * range), each is printable ASCII and parses back through {@link HostPort#parse}, and a target no bigger than
 * that walk yields exactly {@link ScanTarget#size()} addresses, then stops.
 *
 * <p>Seeds: {@code src/test/resources/dev/sessionhub/shared/fuzz/TargetParserFuzzTestInputs/parse/}.
 */
class TargetParserFuzzTest {
  /** How many addresses of each target are walked. */
  static final int WALK = 2_000;

  @FuzzTest(maxDuration = "20s")
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    checkTarget(text);
    checkPorts(text);
    checkHostPort(text);
    try {
      assertFalse(TargetParser.parseAll(text).isEmpty());
    } catch (TargetSyntaxException e) {
      checkError(e);
    }
  }

  private static void checkTarget(String text) {
    ScanTarget target;
    try {
      target = TargetParser.parse(text);
    } catch (TargetSyntaxException e) {
      checkError(e);
      return;
    }
    long hosts = target.hosts().size();
    int ports = target.ports().size();
    assertTrue(hosts >= 1 && hosts <= 65_536, () -> hosts + " hosts");
    assertTrue(ports >= 1 && ports <= 65_535, () -> ports + " ports");
    assertEquals(hosts * ports, target.size());

    String canonical = target.toString();
    ScanTarget again;
    try {
      again = TargetParser.parse(canonical);
    } catch (TargetSyntaxException e) {
      throw new AssertionError("canonical text '" + canonical + "' does not parse: " + e.getMessage(), e);
    }
    assertEquals(target, again, canonical);
    assertEquals(canonical, again.toString());

    Iterator<HostPort> it = target.iterator();
    long walked = 0;
    while (walked < WALK && it.hasNext()) {
      HostPort address = it.next();
      walked++;
      assertNotNull(address);
      String printed = address.toString();
      assertTrue(printed.chars().allMatch(c -> c > ' ' && c < 127), () -> "not printable ASCII: " + printed);
      try {
        assertEquals(address, HostPort.parse(printed));
      } catch (TargetSyntaxException e) {
        throw new AssertionError("address '" + printed + "' of '" + canonical + "' does not parse", e);
      }
    }
    if (target.size() <= WALK) {
      assertEquals(target.size(), walked, canonical);
      assertFalse(it.hasNext());
      assertThrows(NoSuchElementException.class, it::next);
    } else {
      assertEquals(WALK, walked, canonical);
    }
  }

  private static void checkPorts(String text) {
    PortSet ports;
    try {
      ports = PortSet.parse(text);
    } catch (TargetSyntaxException e) {
      checkError(e);
      return;
    }
    assertTrue(ports.size() >= 1 && ports.size() <= 65_535);
    try {
      assertEquals(ports, PortSet.parse(ports.toString()));
    } catch (TargetSyntaxException e) {
      throw new AssertionError("canonical ports '" + ports + "' do not parse", e);
    }
    PrimitiveIterator.OfInt it = ports.iterator();
    int previous = 0;
    for (int i = 0; i < WALK && it.hasNext(); i++) {
      int p = it.nextInt();
      assertTrue(p > previous && p <= 65_535 && ports.contains(p), () -> "port " + p);
      previous = p;
    }
  }

  private static void checkHostPort(String text) {
    HostPort address;
    try {
      address = HostPort.parse(text);
    } catch (TargetSyntaxException e) {
      checkError(e);
      return;
    }
    try {
      assertEquals(address, HostPort.parse(address.toString()));
    } catch (TargetSyntaxException e) {
      throw new AssertionError("address '" + address + "' does not parse back", e);
    }
  }

  private static void checkError(TargetSyntaxException e) {
    assertNotNull(e.getMessage());
    assertNotNull(e.part());
  }
}
