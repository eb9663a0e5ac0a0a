package dev.sessionhub.hub.impl.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one client (remote address) may use of a hub: a request rate with a burst (a Bucket4j token bucket),
 * requests in flight at once, and open event streams. State is kept for at most {@link #MAX_CLIENTS} clients,
 * least recently seen dropped first, so a flood of addresses cannot grow memory without bound.
 */
final class ClientLimits {

  static final int MAX_CLIENTS = 10_000;

  /** What a client gets refused with, or {@code null} when it may go on. */
  record Refusal(String reason, long retryAfterSeconds) {
  }

  private final double ratePerSecond;
  private final int burst;
  private final int maxInFlight;
  private final int maxStreams;
  private final Cache<String, Client> clients = Caffeine.newBuilder().maximumSize(MAX_CLIENTS)
      .expireAfterAccess(Duration.ofMinutes(10)).build();

  /** @param ratePerSecond 0 turns the rate off (in-flight and stream caps still hold) */
  ClientLimits(double ratePerSecond, int burst, int maxInFlight, int maxStreams) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.maxInFlight = maxInFlight;
    this.maxStreams = maxStreams;
  }

  /** Takes one request's worth of the client's rate and a slot in flight; call {@link #finished} after. */
  Refusal admit(String client) {
    Client c = client(client);
    if (c.bucket != null) {
      ConsumptionProbe probe = c.bucket.tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
        return new Refusal("more than " + rateText() + " requests/s (burst " + burst + ") from " + client, seconds);
      }
    }
    if (c.inFlight.incrementAndGet() > maxInFlight) {
      c.inFlight.decrementAndGet();
      return new Refusal("more than " + maxInFlight + " requests at once from " + client, 1);
    }
    return null;
  }

  void finished(String client) {
    Client c = clients.getIfPresent(client);
    if (c != null) {
      c.inFlight.updateAndGet(n -> Math.max(0, n - 1));
    }
  }

  /** Takes an event-stream slot; call {@link #streamClosed} when the stream ends. */
  Refusal openStream(String client) {
    Client c = client(client);
    if (c.streams.incrementAndGet() > maxStreams) {
      c.streams.decrementAndGet();
      return new Refusal("more than " + maxStreams + " open event streams from " + client, 5);
    }
    return null;
  }

  void streamClosed(String client) {
    Client c = clients.getIfPresent(client);
    if (c != null) {
      c.streams.updateAndGet(n -> Math.max(0, n - 1));
    }
  }

  long trackedClients() {
    return clients.estimatedSize();
  }

  private Client client(String address) {
    return clients.get(address, a -> new Client(ratePerSecond <= 0 ? null : Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(burst)
            .refillGreedy(Math.max(1, Math.round(ratePerSecond * 60)), Duration.ofMinutes(1)).build())
        .build()));
  }

  private String rateText() {
    return ratePerSecond == Math.rint(ratePerSecond) ? String.valueOf((long) ratePerSecond)
        : String.valueOf(ratePerSecond);
  }

  private static final class Client {
    final Bucket bucket;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger streams = new AtomicInteger();

    Client(Bucket bucket) {
      this.bucket = bucket;
    }
  }
}
