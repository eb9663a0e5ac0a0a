package dev.sessionhub.hub.impl.discovery;

import dev.sessionhub.hub.impl.client.AgentClient;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.scan.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import dev.sessionhub.hub.impl.client.AgentCallException;

/**
 * One pass of discovery over a (possibly huge, lazily expanded) sequence of addresses: probe each port, and call
 * {@code server_data()} once on each open one. At most {@code maxInFlight} probes and calls are under way at a
 * time; the next address is pulled from the iterator only when a slot frees, so a /16 range costs memory for
 * the slots, not the range. Discovery never sends {@code command}.
 *
 * <p>Any XML-RPC server whose {@code server_data()} is a struct with an {@code exe} is a session, the Blender
 * add-on included; anything else that answers is noted and ignored.
 *
 * <p>Each open port is asked over one scheme only, {@code https} when scanning for TLS agents, else {@code http};
 * a port that fails one is never retried over the other.
 */
public final class TargetScanner {

  /** Half the agent client's default pool: the rest stays free for commands while a scan runs. */
  public static final int DEFAULT_MAX_CALLS = 16;

  private final Vertx vertx;
  private final PortProber prober;
  private final AgentClient client;
  private final int maxInFlight;
  private final boolean tls;
  private final Predicate<HostPort> known;
  private final int maxCalls;
  private final DiscoveryObserver metrics;

  public TargetScanner(Vertx vertx, PortProber prober, AgentClient client, int maxInFlight) {
    this(vertx, prober, client, maxInFlight, false);
  }

  /** {@code tls}: agents serve https, so {@code server_data()} is called over https. */
  public TargetScanner(Vertx vertx, PortProber prober, AgentClient client, int maxInFlight, boolean tls) {
    this(vertx, prober, client, maxInFlight, tls, address -> false, DEFAULT_MAX_CALLS);
  }

  /**
   * {@code known}: addresses where a live session is already known; they are asked {@code server_data()} at once,
   * without a probe first (a failed call then counts as a closed port). {@code maxCalls}: {@code server_data()}
   * calls under way at once (keep it below the client's pool size so commands are not starved by a scan).
   */
  public TargetScanner(Vertx vertx, PortProber prober, AgentClient client, int maxInFlight, boolean tls,
      Predicate<HostPort> known, int maxCalls) {
    this(vertx, prober, client, maxInFlight, tls, known, maxCalls, DiscoveryObserver.NONE);
  }

  /** The same, counting each probe's outcome and each failed {@code server_data()} in {@code metrics}. */
  public TargetScanner(Vertx vertx, PortProber prober, AgentClient client, int maxInFlight, boolean tls,
      Predicate<HostPort> known, int maxCalls, DiscoveryObserver metrics) {
    this.metrics = metrics;
    this.known = known;
    this.maxCalls = maxCalls;
    this.vertx = vertx;
    this.prober = prober;
    this.client = client;
    this.maxInFlight = maxInFlight;
    this.tls = tls;
  }

  /** Scans every address; {@code onFound} sees each session as soon as it answers. Runs on the caller's context. */
  public Future<ScanReport> scan(Iterator<HostPort> addresses, Consumer<FoundSession> onFound) {
    return new Pass(addresses, onFound).run();
  }

  private final class Pass {
    private final Iterator<HostPort> addresses;
    private final Consumer<FoundSession> onFound;
    private final Promise<ScanReport> done = Promise.promise();
    private final List<FoundSession> found = new ArrayList<>();
    private final List<String> notSessions = new ArrayList<>();
    private final long start = System.nanoTime();
    private final java.util.ArrayDeque<HostPort> toAsk = new java.util.ArrayDeque<>();
    private int inFlight;
    private int asking;
    private boolean pumping;
    private boolean again;
    private long probed;
    private long open;
    /** Each host tried, and whether anything on it answered (a refusal counts: the host is up). */
    private final java.util.Map<String, Boolean> answered = new java.util.HashMap<>();

    Pass(Iterator<HostPort> addresses, Consumer<FoundSession> onFound) {
      this.addresses = addresses;
      this.onFound = onFound;
    }

    Future<ScanReport> run() {
      vertx.getOrCreateContext().runOnContext(v -> pump());
      return done.future();
    }

    /**
     * Probes run up to {@code maxInFlight} at a time; open ports wait in {@link #toAsk} for one of
     * {@code maxCalls} call slots, so no {@code server_data()} call spends its deadline queued behind others in the
     * client's pool (and commands keep room in that pool while a scan runs). Addresses are pulled only while the
     * waiting line is short, so memory stays bounded by the slots.
     */
    private void pump() {
      if (pumping) {
        again = true; // completed synchronously inside a pump: loop there instead of recursing
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          pumpOnce();
        } while (again);
      } finally {
        pumping = false;
      }
    }

    private void pumpOnce() {
      while (asking < maxCalls && !toAsk.isEmpty()) {
        HostPort address = toAsk.poll();
        asking++;
        ask(address, known.test(address)).onComplete(ar -> {
          asking--;
          pump();
        });
      }
      while (inFlight < maxInFlight && toAsk.size() < maxInFlight && addresses.hasNext()) {
        HostPort address = addresses.next();
        probed++;
        answered.putIfAbsent(address.host(), false);
        if (known.test(address)) {
          toAsk.add(address);
          continue;
        }
        inFlight++;
        prober.probe(address.host(), address.port()).onComplete(ar -> {
          inFlight--;
          if (ar.succeeded()) {
            metrics.probed(address, ar.result());
          }
          if (ar.succeeded() && ar.result() != PortState.SILENT) {
            answered.put(address.host(), true);
          }
          if (ar.succeeded() && ar.result() == PortState.OPEN) {
            toAsk.add(address);
          }
          pump();
        });
      }
      if (!toAsk.isEmpty() && asking < maxCalls) {
        again = true;
        return;
      }
      if (inFlight == 0 && asking == 0 && toAsk.isEmpty() && !addresses.hasNext()) {
        Set<String> silent = new java.util.HashSet<>();
        answered.forEach((host, any) -> {
          if (!any) {
            silent.add(host);
          }
        });
        done.tryComplete(new ScanReport(probed, open, List.copyOf(found), List.copyOf(notSessions),
            Duration.ofNanos(System.nanoTime() - start), Set.copyOf(silent)));
      }
    }

    private Future<Void> ask(HostPort address, boolean unprobed) {
      String url = FoundSession.urlOf(address, tls);
      return client.serverData(url).transform(ar -> {
        if (unprobed && ar.failed() && ar.cause() instanceof AgentCallException e
            && (e.kind() == AgentCallException.Kind.UNREACHABLE || e.kind() == AgentCallException.Kind.NO_ANSWER)) {
          return Future.succeededFuture(); // gone since: a closed port, as a probe would have said
        }
        open++;
        answered.put(address.host(), true);
        if (ar.succeeded()) {
          try {
            SessionInfo info = SessionInfo.fromStruct(ar.result());
            FoundSession session = new FoundSession(address, url,
                info.port() == 0 ? info.withPort(address.port()) : info);
            found.add(session);
            metrics.polled(address);
            onFound.accept(session);
          } catch (IllegalArgumentException notASession) {
            metrics.pollFailed(address, "not_a_session", notASession.getMessage());
            notSessions.add(address + ": " + notASession.getMessage());
          }
        } else {
          metrics.pollFailed(address, DiscoveryObserver.kindOf(ar.cause()), ar.cause().getMessage());
          notSessions.add(address + ": " + ar.cause().getMessage());
        }
        return Future.succeededFuture();
      });
    }
  }
}
