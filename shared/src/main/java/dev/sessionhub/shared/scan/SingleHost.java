package dev.sessionhub.shared.scan;

import java.util.Iterator;
import java.util.List;

/**
 * One host given literally that no other set describes: an IPv6 address (stored without brackets, printed
 * with them).
 *
 * @param host the host, e.g. {@code ::1}
 */
record SingleHost(String host) implements HostSet {

  @Override
  public long size() {
    return 1;
  }

  @Override
  public Iterator<String> iterator() {
    return List.of(host).iterator();
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}
