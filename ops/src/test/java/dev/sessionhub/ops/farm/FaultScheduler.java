package dev.sessionhub.ops.farm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Injects one fault at a time, every choice (which fault, which victim, how long, the gap before the next) drawn
 * from one seeded {@link Random}, so a seed replays the same sequence of faults (their timing against the
 * hubs' own work still varies from run to run). Each fault is applied, held, undone, and written into the
 * {@link SoakTimeline} with windows that cover it completely.
 */
final class FaultScheduler {

  enum Kind { HUB_KILL, HUB_FREEZE, HUB_PARTITION, SESSION_KILL, SIM_KILL }

  /** What the scheduler needs of the farm: the faults themselves. */
  interface Farm {
    int[] hubs();

    int sessions();

    /** kill -9 the hub, wait {@code down}, start it again; returns when it serves (or fails). */
    void killAndRestartHub(int hub, Duration down) throws Exception;

    void freezeHub(int hub, Duration hold) throws Exception;

    void isolateHub(int hub, Duration hold) throws Exception;

    void killAndRestartSession(int session, Duration down) throws Exception;

    void killAndRestartSim(Duration down) throws Exception;
  }

  record Fault(Kind kind, String victim, Instant from, Instant to, String note) {
  }

  private final Random random;
  private final Farm farm;
  private final java.time.Clock clock;
  private final java.util.Set<Kind> allowed;
  private final List<Fault> done = new ArrayList<>();

  FaultScheduler(long seed, Farm farm, java.time.Clock clock, java.util.Set<Kind> allowed) {
    this.random = new Random(seed);
    this.farm = farm;
    this.clock = clock;
    this.allowed = java.util.Set.copyOf(allowed);
  }

  /** Runs faults until {@code until} (the fault under way then is finished); returns early if interrupted. */
  void run(Instant until) {
    while (clock.instant().isBefore(until) && !Thread.currentThread().isInterrupted()) {
      Duration gap = Duration.ofMillis(4000 + random.nextInt(6000));
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      int[] hubs = farm.hubs();
      int hub = hubs[random.nextInt(hubs.length)];
      int session = random.nextInt(farm.sessions());
      long holdRoll = random.nextLong();
      if (!pause(gap) || !clock.instant().isBefore(until)) {
        return;
      }
      if (!allowed.contains(kind)) {
        continue;  // drawn like every other, so the faults that do run are those of the full sequence
      }
      Instant from = clock.instant();
      String victim;
      String note = "";
      try {
        switch (kind) {
          case HUB_KILL -> {
            Duration down = between(holdRoll, 2, 12);
            victim = "hub " + hub;
            note = "restarted after " + down.toSeconds() + " s";
            farm.killAndRestartHub(hub, down);
          }
          case HUB_FREEZE -> {
            Duration hold = between(holdRoll, 10, 25);
            victim = "hub " + hub;
            note = "SIGSTOP for " + hold.toSeconds() + " s";
            farm.freezeHub(hub, hold);
          }
          case HUB_PARTITION -> {
            Duration hold = between(holdRoll, 15, 35);
            victim = "hub " + hub;
            note = "cut off from the other hubs for " + hold.toSeconds() + " s";
            farm.isolateHub(hub, hold);
          }
          case SESSION_KILL -> {
            Duration down = between(holdRoll, 2, 30);
            victim = "session " + (session + 1);
            note = "restarted after " + down.toSeconds() + " s";
            farm.killAndRestartSession(session, down);
          }
          case SIM_KILL -> {
            Duration down = between(holdRoll, 2, 30);
            victim = "sim";
            note = "restarted after " + down.toSeconds() + " s";
            farm.killAndRestartSim(down);
          }
          default -> throw new IllegalStateException(kind.name());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        throw new IllegalStateException("fault " + kind + " failed: " + e, e);
      }
      Fault f = new Fault(kind, victim, from, clock.instant(), note);
      synchronized (this) {
        done.add(f);
      }
      FaultFarm.report("soak fault %s %s: %s (%d ms)", kind, victim, note,
          Duration.between(f.from(), f.to()).toMillis());
    }
  }

  synchronized List<Fault> faults() {
    return List.copyOf(done);
  }

  synchronized Map<Kind, Integer> countsByKind() {
    Map<Kind, Integer> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      out.put(k, 0);
    }
    done.forEach(f -> out.merge(f.kind(), 1, Integer::sum));
    return out;
  }

  /** A duration from {@code lo} to {@code hi} seconds, from one drawn number (drawn whether used or not). */
  private static Duration between(long roll, int lo, int hi) {
    return Duration.ofMillis(lo * 1000L + Math.floorMod(roll, (hi - lo) * 1000L + 1));
  }

  /**
   * Holds a fault, or waits out a planned gap; false if interrupted. The one timed wait of the soak: the length
   * of a fault is the thing being scheduled, not a guess at how long some async work takes (that is always a
   * poll until a condition, with a deadline).
   */
  static boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
