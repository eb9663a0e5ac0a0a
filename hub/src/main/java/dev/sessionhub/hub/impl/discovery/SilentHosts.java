package dev.sessionhub.hub.impl.discovery;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts that answered nothing in a full scan (no refusal, no connection): down, unplugged, or dropping every
 * packet. Each cycle such a host gets one probe (on a port the caller rotates) in the background, at most {@link
 * #MAX_PROBES} under way at once, and a host that answers anything is scanned in full again from the next cycle.
 *
 * <p>Why: a dead host's ports each hold a probe slot for the whole probe timeout, every cycle (five dead hosts of
 * 100 ports cost a 20-host cycle a second), and even one probe per dead host would hold the cycle for a timeout.
 * The cycle does not wait for these probes: their answers only decide the next cycle's work.
 */
final class SilentHosts {

  static final int MAX_PROBES = 256;

  private final PortProber prober;
  private final Set<String> hosts = ConcurrentHashMap.newKeySet();
  private final Set<String> probing = ConcurrentHashMap.newKeySet();

  SilentHosts(PortProber prober) {
    this.prober = prober;
  }

  boolean contains(String host) {
    return hosts.contains(host);
  }

  /** Hosts a full scan found silent. */
  void addAll(Set<String> silent) {
    hosts.addAll(silent);
  }

  /** Probes {@code host} on {@code port} unless a probe of it is under way or too many are. */
  void probe(String host, int port) {
    if (probing.size() >= MAX_PROBES || !probing.add(host)) {
      return;
    }
    prober.probe(host, port).onComplete(ar -> {
      probing.remove(host);
      if (ar.succeeded() && ar.result() != PortState.SILENT) {
        hosts.remove(host);
      }
    });
  }
}
