package dev.sessionhub.ops.farm;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one chaos soak run does, from system properties: {@code soak.seconds} (how long faults are injected;
 * default 180), {@code soak.seed} (the seed of every random choice; default: a new one, printed, or
 * {@link #CI_SEED} under CI), {@code soak.agents} (sessions in the sim; default 100), {@code soak.scanIntervalMs}
 * (default 2000), {@code soak.faults} (which kinds; see {@link #faults}). The lease is the launcher's default for
 * that interval (3 intervals, at least one interval plus 15 s), passed explicitly so the tolerances below are the
 * hubs' own.
 */
record SoakSettings(long seed, Duration duration, int simAgents, Duration scanInterval, Duration lease,
    Duration jobTimeout, Duration requestTimeout, Duration settle, Set<FaultScheduler.Kind> faults) {

  /**
   * The seed under CI ({@code CI=true}) when none is given: a gate must replay the same faults on every run. Its
   * first 130 s bring every hub fault: hub 2 killed, frozen twice and cut off, then hub 3 cut off.
   */
  static final long CI_SEED = 21;

  static SoakSettings fromSystemProperties() {
    long seed = Long.getLong("soak.seed", "true".equalsIgnoreCase(System.getenv("CI")) ? CI_SEED
        : System.nanoTime() ^ System.currentTimeMillis());
    Duration duration = Duration.ofSeconds(Long.getLong("soak.seconds", 180));
    int agents = Integer.getInteger("soak.agents", 100);
    Duration interval = Duration.ofMillis(Long.getLong("soak.scanIntervalMs", 2000));
    Duration lease = interval.multipliedBy(3).compareTo(interval.plusSeconds(15)) >= 0
        ? interval.multipliedBy(3) : interval.plusSeconds(15);
    return new SoakSettings(seed, duration, agents, interval, lease, Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofSeconds(20), faults(System.getProperty("soak.faults", "all")));
  }

  /**
   * {@code soak.faults}: {@code all} (the default), {@code none} (a control run: the same farm and broadcasts, no
   * fault, which must show no violation), or kinds separated by commas, e.g. {@code hub_partition,hub_freeze}.
   */
  static Set<FaultScheduler.Kind> faults(String text) {
    String t = text.trim().toLowerCase();
    if (t.equals("all")) {
      return EnumSet.allOf(FaultScheduler.Kind.class);
    }
    Set<FaultScheduler.Kind> kinds = EnumSet.noneOf(FaultScheduler.Kind.class);
    if (!t.equals("none")) {
      for (String k : t.split(",")) {
        kinds.add(FaultScheduler.Kind.valueOf(k.trim().toUpperCase()));
      }
    }
    return kinds;
  }

  /**
   * The tolerance for the inventory: a session alive for longer than this is listed by every live,
   * unfrozen hub, and a killed one has left every listing by this long after its death (lease + 2 intervals).
   */
  Duration tolerance() {
    return lease.plus(scanInterval.multipliedBy(2));
  }
}
