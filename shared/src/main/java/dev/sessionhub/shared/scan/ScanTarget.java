package dev.sessionhub.shared.scan;

import java.util.Iterator;
import java.util.Objects;
import java.util.PrimitiveIterator;

/**
 * What discovery probes: every port of {@link #ports} on every host of {@link #hosts}, e.g.
 * {@code render[001-120].farm:8000-8010}. Iteration is lazy (host by host, ports ascending), so a /16 with a
 * thousand ports costs nothing until walked. {@link #toString()} is canonical and parses back to an equal target.
 *
 * @param hosts the hosts, expanded lazily
 * @param ports the ports probed on each host
 */
public record ScanTarget(HostSet hosts, PortSet ports) implements Iterable<HostPort> {

  public ScanTarget {
    Objects.requireNonNull(hosts, "hosts");
    Objects.requireNonNull(ports, "ports");
  }

  /** The number of addresses, hosts times ports. */
  public long size() {
    return hosts.size() * ports.size();
  }

  /** Every address, computed as iterated. */
  @Override
  public Iterator<HostPort> iterator() {
    return new Iterator<>() {
      private final Iterator<String> hostIt = hosts.iterator();
      private String host;
      private PrimitiveIterator.OfInt portIt; // over the ports of host; null before the first host

      @Override
      public boolean hasNext() {
        return portIt != null && portIt.hasNext() || hostIt.hasNext();
      }

      @Override
      public HostPort next() {
        if (portIt == null || !portIt.hasNext()) {
          host = hostIt.next(); // throws NoSuchElementException at the end
          portIt = ports.iterator();
        }
        return new HostPort(host, portIt.nextInt());
      }
    };
  }

  /** The canonical {@code hosts:ports} text. */
  @Override
  public String toString() {
    return hosts + ":" + ports;
  }
}
