package dev.sessionhub.hub.impl.discovery;

import dev.sessionhub.hub.impl.client.AgentCallException;
import dev.sessionhub.shared.scan.HostPort;
import java.util.List;
import java.util.Locale;

/**
 * What discovery tells its observers (the metrics, the per-address outcomes {@code sessionhub doctor} reads): each
 * probe's outcome, each {@code server_data()} call's, each finished cycle. Called on the scan's context: quick,
 * no blocking, no locks held long.
 */
public interface DiscoveryObserver {

  /** Observes nothing. */
  DiscoveryObserver NONE = new DiscoveryObserver() {
  };

  default void probed(HostPort address, PortState state) {
  }

  /** {@code server_data()} answered with a session. */
  default void polled(HostPort address) {
  }

  /**
   * A {@code server_data()} call found no session; {@code kind} is bounded ({@link #kindOf}), {@code detail} is
   * the failure's message.
   */
  default void pollFailed(HostPort address, String kind, String detail) {
  }

  default void cycleEnded(long nanos) {
  }

  /** The bounded kind of a failed {@code server_data()}: an {@link AgentCallException.Kind} in lower case, or
   * {@code not_a_session} (it answered, but not a struct with an {@code exe}), or {@code error}. */
  static String kindOf(Throwable failure) {
    if (failure instanceof AgentCallException e) {
      return e.kind().name().toLowerCase(Locale.ROOT);
    }
    return failure instanceof IllegalArgumentException ? "not_a_session" : "error";
  }

  /** Tells every one of {@code observers}. */
  static DiscoveryObserver all(List<DiscoveryObserver> observers) {
    List<DiscoveryObserver> list = List.copyOf(observers);
    return new DiscoveryObserver() {
      @Override
      public void probed(HostPort address, PortState state) {
        list.forEach(o -> o.probed(address, state));
      }

      @Override
      public void polled(HostPort address) {
        list.forEach(o -> o.polled(address));
      }

      @Override
      public void pollFailed(HostPort address, String kind, String detail) {
        list.forEach(o -> o.pollFailed(address, kind, detail));
      }

      @Override
      public void cycleEnded(long nanos) {
        list.forEach(o -> o.cycleEnded(nanos));
      }
    };
  }
}
