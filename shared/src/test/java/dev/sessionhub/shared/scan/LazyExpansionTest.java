package dev.sessionhub.shared.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Big targets are sized and walked without building lists. */
class LazyExpansionTest {

  @Test
  void aSlash16TimesAThousandPortsIsSizedAndStartedAtOnce() throws Exception {
    ScanTarget t = TargetParser.parse("10.1.0.0/16:8000-8999");
    assertEquals(65_534L * 1000, t.size());
    Iterator<HostPort> it = t.iterator();
    assertEquals(new HostPort("10.1.0.1", 8000), it.next());
    for (int i = 1; i < 1000; i++) {
      it.next();
    }
    assertEquals(new HostPort("10.1.0.2", 8000), it.next());
    long hosts = 0;
    String last = null;
    for (String h : t.hosts()) {
      hosts++;
      last = h;
    }
    assertEquals(65_534, hosts);
    assertEquals("10.1.255.254", last);
  }

  @Test
  void walkingAMillionAddressesCountsThemAll() throws Exception {
    ScanTarget t = TargetParser.parse("10.2.0.0/22:8000-8999");
    long n = 0;
    HostPort last = null;
    for (HostPort hp : t) {
      n++;
      last = hp;
    }
    assertEquals(1_022_000, n);
    assertEquals(t.size(), n);
    assertEquals(new HostPort("10.2.3.254", 8999), last);
  }

  @Test
  void namePatternsExpandLazilyInOdometerOrder() throws Exception {
    HostSet hosts = TargetParser.parse("n[00001-65536]").hosts();
    assertEquals(65_536, hosts.size());
    Iterator<String> it = hosts.iterator();
    assertEquals("n00001", it.next());
    long count = 1;
    String last = null;
    while (it.hasNext()) {
      last = it.next();
      count++;
    }
    assertEquals(65_536, count);
    assertEquals("n65536", last);
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
  }

  @Test
  void exhaustedTargetIteratorsSayNoMore() throws Exception {
    Iterator<HostPort> it = TargetParser.parse("[::1]:1").iterator();
    assertEquals("[::1]:1", it.next().toString());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
  }
}
