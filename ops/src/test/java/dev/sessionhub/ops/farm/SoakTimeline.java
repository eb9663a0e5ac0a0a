package dev.sessionhub.ops.farm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the soak did to the farm and when, as the invariants need it: every session process instance (address,
 * pid, when it was seen listening, when the soak killed it) and every window in which a hub was down, frozen or
 * cut off from the other hubs. Windows open just before a fault is applied and close just after it is undone, so
 * a request is only judged against a hub that was live and running for the whole time it was in flight.
 * Thread-safe (every method synchronized; the soak's threads share one timeline).
 */
final class SoakTimeline {

  enum HubFault { DOWN, FROZEN, ISOLATED }

  /** One process's session (a sim runs many): where it listens, its pid, when it was up and killed. */
  static final class Instance {
    final String name;
    final String address;
    final long pid;
    final String index;
    final Instant readyAt;
    private Instant killedAt;

    Instance(String name, String address, long pid, String index, Instant readyAt) {
      this.name = name;
      this.address = address;
      this.pid = pid;
      this.index = index;
      this.readyAt = readyAt;
    }

    synchronized Instant killedAt() {
      return killedAt;
    }

    synchronized void killed(Instant at) {
      killedAt = at;
    }

    @Override
    public String toString() {
      return address + " (" + name + ", pid " + pid + ")";
    }
  }

  record Window(int hub, HubFault fault, Instant from, Instant to) {
    boolean overlaps(Instant a, Instant b) {
      return !from.isAfter(b) && (to == null || !to.isBefore(a));
    }
  }

  /** A hub back from a fault, until it first shows one view (then {@code rejoinedAt} is set). */
  static final class Comeback {
    final int hub;
    final String kind;
    final Instant since;
    /** When the fault was over: the restarted hub served, the frozen one was continued, the cut one healed. */
    final Instant back;
    /** When it was first seen in a cluster of every hub again (before its listing was whole, perhaps). */
    Instant clusteredAt;
    Instant rejoinedAt;

    Comeback(int hub, String kind, Instant since, Instant back) {
      this.hub = hub;
      this.kind = kind;
      this.since = since;
      this.back = back;
    }
  }

  private final Clock clock;
  private final List<Instance> instances = new ArrayList<>();
  private final List<Window> windows = new ArrayList<>();
  private final List<Comeback> comebacks = new ArrayList<>();

  SoakTimeline(Clock clock, int... hubs) {
    this.clock = clock;
    for (int hub : hubs) {
      windows.add(new Window(hub, HubFault.DOWN, Instant.EPOCH, null));  // until it first serves
    }
  }

  Instant now() {
    return clock.instant();
  }

  synchronized void add(Instance instance) {
    instances.add(instance);
  }

  synchronized List<Instance> instances() {
    return List.copyOf(instances);
  }

  /** The live instance with this pid and index (sim session number, or "s" for a standalone session). */
  synchronized Optional<Instance> byPid(long pid, String index) {
    return instances.stream().filter(i -> i.pid == pid && i.index.equals(index)).findFirst();
  }

  /** Sessions up since at least {@code tolerance} before {@code from} and not killed before {@code to}. */
  synchronized List<Instance> establishedThroughout(Instant from, Instant to, Duration tolerance) {
    Instant upBy = from.minus(tolerance);
    return instances.stream().filter(i -> !i.readyAt.isAfter(upBy))
        .filter(i -> i.killedAt() == null || i.killedAt().isAfter(to)).toList();
  }

  /** Sessions the soak killed at least {@code tolerance} before {@code at}. */
  synchronized List<Instance> killedBefore(Instant at, Duration tolerance) {
    Instant by = at.minus(tolerance);
    return instances.stream().filter(i -> i.killedAt() != null && !i.killedAt().isAfter(by)).toList();
  }

  // ---- hub windows ----

  synchronized void open(int hub, HubFault fault) {
    windows.add(new Window(hub, fault, now(), null));
  }

  /** Closes the hub's open window of this kind and notes the comeback ({@code kind}) for the rejoin figure. */
  synchronized Instant close(int hub, HubFault fault, String comebackKind, Instant comebackSince) {
    Instant at = now();
    for (int i = 0; i < windows.size(); i++) {
      Window w = windows.get(i);
      if (w.hub() == hub && w.fault() == fault && w.to() == null) {
        windows.set(i, new Window(hub, fault, w.from(), at));
      }
    }
    if (comebackKind != null) {
      comebacks.add(new Comeback(hub, comebackKind, comebackSince, at));
    }
    return at;
  }

  /** True if the hub was neither down nor frozen at any moment of {@code [from, to]}. */
  synchronized boolean runningThroughout(int hub, Instant from, Instant to) {
    return windows.stream().noneMatch(w -> w.hub() == hub && w.fault() != HubFault.ISOLATED && w.overlaps(from, to));
  }

  /** True if the hub was frozen (SIGSTOP) at any moment of {@code [from, to]}. */
  synchronized boolean frozenDuring(int hub, Instant from, Instant to) {
    return windows.stream().anyMatch(w -> w.hub() == hub && w.fault() == HubFault.FROZEN && w.overlaps(from, to));
  }

  synchronized boolean runningNow(int hub) {
    Instant now = now();
    return runningThroughout(hub, now, now);
  }

  /**
   * True if the hub is excused from knowing everything at {@code at}: cut off from the other hubs then, or still
   * recovering from a fault of its own. A recovery lasts {@code grace} after its fault ended, and longer when
   * another hub's fault overlaps it before the hub was seen back with one view: a hub merging back needs the
   * cluster it merges into, and a merge whose other side is cut off or frozen meanwhile waits until the cluster
   * has removed that hub or has it back (seed 21: a resumed hub's merge held 12 s by a peer cut off 1.2 s after it
   * resumed; seed 7: one held by a peer frozen 5 s after). Then the recovery lasts {@code grace} after that fault
   * too. Such a hub may answer "not ready"; any listing it does give is still judged.
   */
  synchronized boolean recovering(int hub, Instant at, Duration grace) {
    return recovering(hub, at, grace, true);
  }

  /** True if the hub is {@link #recovering} at {@code at} only because another hub's fault held its recovery. */
  synchronized boolean heldByAnother(int hub, Instant at, Duration grace) {
    return recovering(hub, at, grace, true) && !recovering(hub, at, grace, false);
  }

  private boolean recovering(int hub, Instant at, Duration grace, boolean heldByOthers) {
    for (Window own : windows) {
      if (own.hub() != hub) {
        continue;
      }
      if (own.fault() == HubFault.ISOLATED && own.overlaps(at.minus(grace), at)) {
        return true;
      }
      if (own.to() != null && !at.isBefore(own.to())
          && !at.isAfter(heldByOthers ? recoveredBy(own, grace) : own.to().plus(grace))) {
        return true;
      }
    }
    return false;
  }

  /**
   * When the hub's recovery from its fault {@code own} (ended) is over at the latest: {@code grace} after its end,
   * extended to {@code grace} after the end of every other hub's fault that overlaps the recovery before the hub
   * was seen back with one view (and so on, for a fault overlapping that extension).
   */
  private Instant recoveredBy(Window own, Duration grace) {
    Instant seenBack = comebacks.stream().filter(c -> c.hub == own.hub() && c.back.equals(own.to())
        && c.rejoinedAt != null).map(c -> c.rejoinedAt).findFirst().orElse(Instant.MAX);
    Instant until = own.to().plus(grace);
    boolean extended = true;
    while (extended) {
      extended = false;
      for (Window other : windows) {
        boolean holdsIt = other.hub() != own.hub() && !other.from().equals(Instant.EPOCH)
            && other.overlaps(own.from(), until) && other.from().isBefore(seenBack);
        Instant otherRecovered = other.to() == null ? Instant.MAX : other.to().plus(grace);
        if (holdsIt && otherRecovered.isAfter(until)) {
          until = otherRecovered;
          extended = true;
        }
      }
    }
    return until;
  }

  /** A description of every hub fault overlapping {@code [from, to]}, empty if none. */
  synchronized String faultsDuring(Instant from, Instant to) {
    StringBuilder out = new StringBuilder();
    for (Window w : windows) {
      if (w.overlaps(from, to) && !w.from().equals(Instant.EPOCH)) {
        out.append(out.length() == 0 ? "" : "; ").append("hub ").append(w.hub()).append(' ')
            .append(w.fault().name().toLowerCase()).append(' ').append(w.from()).append(" - ")
            .append(w.to() == null ? "still" : w.to());
      }
    }
    return out.toString();
  }

  /** A short state of the hub at {@code at} for evidence lines. */
  synchronized String describe(int hub, Instant at) {
    StringBuilder out = new StringBuilder("hub " + hub);
    for (Window w : windows) {
      if (w.hub() != hub || w.from().equals(Instant.EPOCH)) {
        continue;
      }
      if (w.overlaps(at, at)) {
        out.append(" [").append(w.fault().name().toLowerCase()).append(" since ")
            .append(Duration.between(w.from(), at).toMillis()).append(" ms]");
      } else if (w.to() != null && !w.to().isAfter(at) && Duration.between(w.to(), at).toSeconds() < 60) {
        out.append(" [").append(w.fault().name().toLowerCase()).append(" ended ")
            .append(Duration.between(w.to(), at).toMillis()).append(" ms before]");
      }
    }
    return out.toString();
  }

  synchronized List<Comeback> pendingComebacks(int hub) {
    return comebacks.stream().filter(c -> c.hub == hub && c.rejoinedAt == null).toList();
  }

  synchronized void rejoined(Comeback c, Instant at) {
    clustered(c, at);
    c.rejoinedAt = at;
  }

  synchronized void clustered(Comeback c, Instant at) {
    if (c.clusteredAt == null) {
      c.clusteredAt = at;
    }
  }

  /**
   * Why a job coordinated by {@code hub} from {@code from} to {@code to} may be gone from the whole cluster, or
   * empty if nothing excuses it: the hub was cut off from the others and then killed before it was seen in a
   * cluster of every hub again, and the job ran between the cut and the kill. In that time the hub's cluster was
   * the hub alone (a heal is not a merge: the split-brain search that merges it back took over 9.6 s after one
   * heal in CI), so the job's record was held by that hub only, and hubs keep jobs in memory only.
   */
  synchronized Optional<String> lostWithCutOffCoordinator(int hub, Instant from, Instant to) {
    for (Window cut : windows) {
      if (cut.hub() != hub || cut.fault() != HubFault.ISOLATED || cut.to() == null) {
        continue;
      }
      Optional<Window> kill = windows.stream().filter(w -> w.hub() == hub && w.fault() == HubFault.DOWN
          && !w.from().isBefore(cut.to())).min(java.util.Comparator.comparing(Window::from));
      Optional<Comeback> heal = comebacks.stream().filter(c -> c.hub == hub && c.kind.equals("heal")
          && c.back.equals(cut.to())).findFirst();
      if (kill.isEmpty() || heal.isEmpty()) {
        continue;
      }
      Instant killedAt = kill.get().from();
      Instant clustered = heal.get().clusteredAt;
      boolean mergedBackFirst = clustered != null && !clustered.isAfter(killedAt);
      if (!mergedBackFirst && !from.isAfter(killedAt) && !to.isBefore(cut.from())) {
        return Optional.of("hub " + hub + " was cut off " + cut.from() + " - " + cut.to() + " and killed at "
            + killedAt + ", " + Duration.between(cut.to(), killedAt).toMillis() + " ms after the heal, before it "
            + "was seen in a cluster of every hub again" + (clustered == null ? "" : " (at " + clustered + ")"));
      }
    }
    return Optional.empty();
  }

  synchronized List<Comeback> comebacks() {
    return List.copyOf(comebacks);
  }
}
