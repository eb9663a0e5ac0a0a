package dev.sessionhub.hub.impl.discovery;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipAdapter;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.impl.cluster.HostOwners;
import dev.sessionhub.hub.impl.cluster.HubIds;
import dev.sessionhub.hub.impl.client.AgentClient;
import dev.sessionhub.hub.impl.cluster.ClusterState;
import dev.sessionhub.hub.HubStatus;
import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.inventory.SessionRecord;
import dev.sessionhub.hub.impl.inventory.Source;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.scan.HostPort;
import dev.sessionhub.shared.scan.ScanTarget;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's discovery loop. Each cycle it scans the target hosts whose Hazelcast partition this member owns
 * (so N hubs split the work, and a dead hub's share moves to the survivors by itself), records every session
 * found, then re-polls the other sessions whose inventory entries it owns (announced ones, ones outside the
 * targets, ones on hosts another hub scans) so their
 * {@code server_data} stays fresh and their leases renewed. A session that stops answering is simply not
 * renewed; its lease expires. Cycles never overlap: the next is scheduled when one ends.
 */
public final class DiscoveryService {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryService.class);

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Inventory inventory;
  private final SessionLeases registry;
  private final TargetScanner scanner;
  private final AgentClient client;
  private final ClusterState cluster;
  private final List<ScanTarget> targets;
  private final HostOwners owners;
  private final Duration interval;
  private final Clock clock;
  private final String httpUrl;
  private final Instant startedAt;
  private volatile boolean running;
  /** The context cycles run on; timer, cycling and againAtOnce are touched only there. */
  private Context context;
  private long timer = -1;
  private boolean cycling;
  private boolean againAtOnce;
  private UUID membership;
  private volatile HubStatus lastStatus;
  /** Hosts that answered nothing in a full scan: probed on one port, in the background, until they do. */
  private final SilentHosts silentHosts;
  private long cycles;
  private final DiscoveryObserver metrics;

  /** {@code metrics}: told each cycle's time and each re-poll's outcome (the metrics, {@link ScanOutcomes}). */
  public DiscoveryService(Vertx vertx, HazelcastInstance hazelcast, Inventory inventory, SessionLeases registry,
      TargetScanner scanner, PortProber prober, AgentClient client, ClusterState cluster, List<ScanTarget> targets,
      HostOwners owners, Duration interval, Clock clock, String httpUrl, DiscoveryObserver metrics) {
    this.metrics = metrics;
    this.silentHosts = new SilentHosts(prober);
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.inventory = inventory;
    this.registry = registry;
    this.scanner = scanner;
    this.client = client;
    this.cluster = cluster;
    this.targets = List.copyOf(targets);
    this.owners = owners;
    this.interval = interval;
    this.clock = clock;
    this.httpUrl = httpUrl;
    this.startedAt = clock.instant();
  }

  public void start() {
    running = true;
    context = vertx.getOrCreateContext();
    membership = hazelcast.getCluster().addMembershipListener(new MembershipAdapter() {
      @Override
      public void memberRemoved(MembershipEvent event) {
        context.runOnContext(v -> cycleAtOnce());
      }
    });
    context.runOnContext(v -> cycleThenReschedule());
  }

  public void stop() {
    running = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (membership != null) {
      try {
        hazelcast.getCluster().removeMembershipListener(membership);
      } catch (RuntimeException e) {
        LOG.debug("membership listener removal failed (member shutting down)", e);
      }
    }
  }

  public HubStatus lastStatus() {
    return lastStatus;
  }

  private void cycleThenReschedule() {
    if (!running) {
      return;
    }
    cycling = true;
    timer = -1;
    runCycle().onComplete(ar -> {
      cycling = false;
      if (ar.failed() && running) {
        LOG.warn("scan cycle failed: {}", ar.cause().toString());
      }
      if (running) {
        long delay = againAtOnce ? 1 : interval.toMillis();
        againAtOnce = false;
        timer = vertx.setTimer(delay, id -> cycleThenReschedule());
      }
    });
  }

  /**
   * A member left: some of its hosts are this hub's now, and the entries it renewed have at most a lease (less
   * the time its removal took, ~8 s) to be renewed by their new owner. So the cycle runs now (or right after the
   * one running), not up to an interval later, which at the default 5 s interval and 20 s lease left a frozen
   * hub's sessions a second or two from lapsing. On the discovery's context.
   */
  private void cycleAtOnce() {
    if (!running) {
      return;
    }
    if (cycling) {
      againAtOnce = true;
    } else {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      cycleThenReschedule();
    }
  }

  /** One cycle: scan owned target hosts, then re-poll the other sessions this member owns. */
  public Future<HubStatus> runCycle() {
    Instant began = clock.instant();
    long start = System.nanoTime();
    OwnedHosts owned = new OwnedHosts(cycles++);
    Set<String> scanned = new HashSet<>();
    return scanner.scan(owned.addresses(), found -> {
      scanned.add(found.address().toString());
      record(found.address().host(), found.address().port(), found.url(), found.info(), Source.SCAN);
    }).compose(report -> {
      silentHosts.addAll(report.silentHosts());
      return repollOthers(owned, scanned).map(polled -> {
        HubStatus status = new HubStatus(cluster.localMemberId(), localMember().getAddress().toString(), httpUrl,
            startedAt, began, Duration.ofNanos(System.nanoTime() - start).toMillis(), owned.count(), owned.sample(),
            report.probed(), report.sessions().size(), polled, owned.silentCount(), owned.silentSample());
        lastStatus = status;
        metrics.cycleEnded(System.nanoTime() - start);
        cluster.publish(status);
        return status;
      });
    });
  }

  private void record(String host, int port, String url, SessionInfo info, Source source) {
    registry.seen(host, port, url, info, source)
        .onFailure(e -> LOG.debug("could not record {}:{}: {}", host, port, e.toString()));
  }

  /**
   * Polls every session this member owns that the scan did not just see (probed ports included), the sessions
   * this hub knows of that nobody in its cluster renews (see {@link #orphans}), and the overdue ones (see
   * {@link #overdue}), these straight from the view's record.
   */
  private Future<Integer> repollOthers(OwnedHosts owned, Set<String> scanned) {
    return inventory.localAddresses().compose(local -> {
      Set<String> addresses = new LinkedHashSet<>(local);
      List<SessionRecord> known = inventory.view().all();
      Map<String, SessionRecord> orphans = orphans(known);
      Map<String, SessionRecord> overdue = overdue(known);
      addresses.addAll(orphans.keySet());
      addresses.addAll(overdue.keySet());
      List<Future<Void>> polls = new ArrayList<>();
      for (String address : addresses) {
        if (scanned.contains(address) || owned.probed(address)) {
          continue;
        }
        SessionRecord late = overdue.get(address);
        if (late != null) {
          polls.add(poll(late));
          continue;
        }
        if (scannedByAnotherHub(address)) {
          continue;
        }
        SessionRecord orphan = orphans.get(address);
        polls.add(inventory.get(address).compose(r -> r != null ? poll(r)
            : orphan != null ? poll(orphan) : Future.succeededFuture()));
      }
      return Future.join(polls).transform(ar -> Future.succeededFuture(polls.size()));
    });
  }

  /**
   * Sessions in this hub's view whose entry is older than two thirds of its lease: whoever renews them should
   * have long ago (a renewal is skipped only while three quarters of the lease remain, and polls and heartbeats
   * come every interval or two seconds), so it is dead, frozen or cut off from this hub, and this hub's cluster
   * may not know yet: a hub cut off from the two others kept them as members for 13.8 s, longer than the
   * 12.75 s a 17 s lease is sure to have left, and its listing lost 101 of 104 sessions for 3 s. Any hub polls
   * them, from the view's record (their entry's owner may be the unreachable hub); a poll that answers renews
   * this hub's view at once and the map when the entry's partition can be written. On a healthy farm no entry
   * gets that old, so this costs nothing.
   */
  private Map<String, SessionRecord> overdue(List<SessionRecord> known) {
    Instant now = clock.instant();
    Map<String, SessionRecord> out = new LinkedHashMap<>();
    for (SessionRecord r : known) {
      if (Duration.between(r.lastSeen(), now).compareTo(r.lease().multipliedBy(2).dividedBy(3)) > 0) {
        out.put(r.address(), r);
      }
    }
    return out;
  }

  /**
   * A session on a target host and port that this hub does not own: its owner's scan sees it every cycle, so
   * polling it here too would only contact it twice.
   */
  private boolean scannedByAnotherHub(String address) {
    HostPort session = HostPort.ofKey(address);
    return owners.isTargetHost(session.hostKey()) && !owners.ownsLocally(session.hostKey())
        && isTargetPort(session.port());
  }

  /** Whether {@code port} is one the targets scan. */
  private boolean isTargetPort(int port) {
    for (ScanTarget target : targets) {
      if (target.ports().contains(port)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sessions in this hub's view last renewed by a hub that is not a member of this hub's cluster (it died, or a
   * network split put it on the other side) on hosts this member owns: nobody here would renew them otherwise,
   * and a session that announces only to a hub across a split would drop out of this half for the split's length.
   */
  private Map<String, SessionRecord> orphans(List<SessionRecord> known) {
    Set<String> members = HubIds.members(hazelcast);
    Map<String, SessionRecord> out = new LinkedHashMap<>();
    for (SessionRecord r : known) {
      if (!members.contains(r.hubId()) && owns(r.host())) {
        out.put(r.address(), r);
      }
    }
    return out;
  }

  /**
   * Calls {@code server_data()} and records the answer; done when the session answered, not when the write
   * lands (like a scan's finds): a cycle never waits for the cluster, whose partitions may be unwritable until
   * it removes an unreachable member, so the polls that keep this hub's view alive go on meanwhile.
   */
  private Future<Void> poll(SessionRecord r) {
    return client.serverData(r.url()).<Void>map(struct -> {
      SessionInfo info = SessionInfo.fromStruct(struct);
      metrics.polled(new HostPort(r.host(), r.port()));
      record(r.host(), r.port(), r.url(), info.port() == 0 ? info.withPort(r.port()) : info, r.source());
      return null;
    }).recover(e -> {
      metrics.pollFailed(new HostPort(r.host(), r.port()), DiscoveryObserver.kindOf(e), e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Member localMember() {
    return hazelcast.getCluster().getLocalMember();
  }

  /** True when this member owns {@code host}: the hosts it scans. */
  boolean owns(String host) {
    return owners.ownsLocally(HostOwners.hostKey(host));
  }

  /** The target addresses on hosts this member owns, expanded lazily; remembers what it handed out. */
  private final class OwnedHosts {
    private final Set<String> probedHosts = new LinkedHashSet<>();
    private final List<String> sample = new ArrayList<>();
    private final long cycle;
    private final List<String> silentSample = new ArrayList<>();
    private long count;
    private long silentCount;

    /**
     * {@code cycle} picks the port a silent host is probed on this cycle, so over cycles every port is tried; a
     * silent host's ports are not scanned (see {@link SilentHosts}).
     */
    OwnedHosts(long cycle) {
      this.cycle = cycle;
    }

    Iterator<HostPort> addresses() {
      Iterator<ScanTarget> t = targets.iterator();
      return new Iterator<>() {
        private Iterator<String> hosts = null;
        private ScanTarget target;
        private String host;
        private Iterator<Integer> ports = null;

        @Override
        public boolean hasNext() {
          while (ports == null || !ports.hasNext()) {
            if (hosts != null && hosts.hasNext()) {
              host = hosts.next();
              if (owns(host)) {
                noteHost(host);
                if (silentHosts.contains(host)) {
                  noteSilent(host);
                  silentHosts.probe(host, rotatingPort(target));
                  ports = null;
                  continue;
                }
                ports = target.ports().iterator();
              }
            } else if (t.hasNext()) {
              target = t.next();
              hosts = target.hosts().iterator();
            } else {
              return false;
            }
          }
          return true;
        }

        @Override
        public HostPort next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return new HostPort(host, ports.next());
        }
      };
    }

    private int rotatingPort(ScanTarget target) {
      int skip = (int) (cycle % target.ports().size());
      Iterator<Integer> all = target.ports().iterator();
      for (int i = 0; i < skip; i++) {
        all.next();
      }
      return all.next();
    }

    private void noteSilent(String host) {
      silentCount++;
      if (silentSample.size() < HubStatus.HOSTS_SAMPLE) {
        silentSample.add(host);
      }
    }

    long silentCount() {
      return silentCount;
    }

    List<String> silentSample() {
      return List.copyOf(silentSample);
    }

    private void noteHost(String host) {
      if (probedHosts.add(host)) {
        count++;
        if (sample.size() < HubStatus.HOSTS_SAMPLE) {
          sample.add(host);
        }
      }
    }

    boolean probed(String address) {
      HostPort session = HostPort.ofKey(address);
      return probedHosts.contains(session.host()) && isTargetPort(session.port());
    }

    long count() {
      return count;
    }

    List<String> sample() {
      return List.copyOf(sample);
    }
  }
}
