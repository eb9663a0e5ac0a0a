package dev.sessionhub.hub.discovery;

import dev.sessionhub.hub.client.AgentClient;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.scan.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import dev.sessionhub.hub.client.AgentCallException;

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

  private final Vertx vertx;
  private final PortProber prober;
  private final AgentClient client;
  private final int maxInFlight;
  private final boolean tls;
  private final Predicate<HostPort> known;

  public TargetScanner(Vertx vertx, PortProber prober, AgentClient client, int maxInFlight) {
    this(vertx, prober, client, maxInFlight, false);
  }

  /** {@code tls}: agents serve https, so {@code server_data()} is called over https. */
  public TargetScanner(Vertx vertx, PortProber prober, AgentClient client, int maxInFlight, boolean tls) {
    this(vertx, prober, client, maxInFlight, tls, address -> false);
  }

  /**
   * {@code known}: addresses where a live session is already known; they are asked {@code server_data()} at once,
   * without a probe first (a failed call then counts as a closed port).
   */
  public TargetScanner(Vertx vertx, PortProber prober, AgentClient client, int maxInFlight, boolean tls,
      Predicate<HostPort> known) {
    this.known = known;
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
    private int inFlight;
    private long probed;
    private long open;

    Pass(Iterator<HostPort> addresses, Consumer<FoundSession> onFound) {
      this.addresses = addresses;
      this.onFound = onFound;
    }

    Future<ScanReport> run() {
      vertx.getOrCreateContext().runOnContext(v -> pump());
      return done.future();
    }

    private void pump() {
      while (inFlight < maxInFlight && addresses.hasNext()) {
        HostPort address = addresses.next();
        inFlight++;
        probed++;
        probe(address).onComplete(ar -> {
          inFlight--;
          pump();
        });
      }
      if (inFlight == 0 && !addresses.hasNext()) {
        done.tryComplete(new ScanReport(probed, open, List.copyOf(found), List.copyOf(notSessions),
            Duration.ofNanos(System.nanoTime() - start)));
      }
    }

    private Future<Void> probe(HostPort address) {
      if (known.test(address)) {
        return ask(address, true);
      }
      return prober.isOpen(address.host(), address.port()).compose(isOpen -> isOpen ? ask(address, false)
          : Future.succeededFuture());
    }

    private Future<Void> ask(HostPort address, boolean unprobed) {
      String url = FoundSession.urlOf(address, tls);
      return client.serverData(url).transform(ar -> {
        if (unprobed && ar.failed() && ar.cause() instanceof AgentCallException e
            && e.kind() == AgentCallException.Kind.UNREACHABLE) {
          return Future.succeededFuture(); // gone since: a closed port, as a probe would have said
        }
        open++;
        if (ar.succeeded()) {
          try {
            SessionInfo info = SessionInfo.fromStruct(ar.result());
            FoundSession session = new FoundSession(address, url,
                info.port() == 0 ? info.withPort(address.port()) : info);
            found.add(session);
            onFound.accept(session);
          } catch (IllegalArgumentException notASession) {
            notSessions.add(address + ": " + notASession.getMessage());
          }
        } else {
          notSessions.add(address + ": " + ar.cause().getMessage());
        }
        return Future.succeededFuture();
      });
    }
  }
}
