package dev.sessionhub.hub.metrics;

import dev.sessionhub.hub.discovery.PortState;

/** What discovery reports to the metrics: each probe's outcome, each failed poll, each finished cycle. */
public interface DiscoveryMetrics {

  /** Records nothing. */
  DiscoveryMetrics NONE = new DiscoveryMetrics() {
    @Override
    public void probed(PortState state) {
    }

    @Override
    public void pollFailed(String kind) {
    }

    @Override
    public void cycleEnded(long nanos) {
    }
  };

  void probed(PortState state);

  /**
   * A {@code server_data()} call (a scan's or a re-poll's) that found no session; {@code kind} is bounded: an
   * {@code AgentCallException.Kind} in lower case, or {@code not_a_session}.
   */
  void pollFailed(String kind);

  void cycleEnded(long nanos);

  /** The bounded kind label of a failed {@code server_data()} call. */
  static String kindOf(Throwable failure) {
    return failure instanceof dev.sessionhub.hub.client.AgentCallException e
        ? e.kind().name().toLowerCase(java.util.Locale.ROOT) : "error";
  }
}
