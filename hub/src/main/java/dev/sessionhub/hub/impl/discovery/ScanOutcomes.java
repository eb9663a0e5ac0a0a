package dev.sessionhub.hub.impl.discovery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhub.shared.scan.HostPort;
import dev.sessionhub.hub.impl.inventory.InventoryEvents;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * The last thing this hub's discovery learned about each address it probed or polled: the probe's outcome (open,
 * closed, silent), then, for an open port, whether {@code server_data()} answered a session or how it failed
 * (kind and message). What {@code sessionhub doctor} explains a missing session from. Bounded: the most recent
 * {@link #MAX_ADDRESSES} addresses (a /16 of 100 ports each would not fit, and need not: doctor asks of one).
 */
public final class ScanOutcomes implements DiscoveryObserver {

  static final int MAX_ADDRESSES = 200_000;

  /** One address's last outcome: {@code stage} probe or poll, {@code result} its bounded kind. */
  public record Outcome(String stage, String result, String detail, Instant at) {
    public JsonObject toJson() {
      return new JsonObject().put("stage", stage).put("result", result).put("detail", detail)
          .put("at", at.toString());
    }
  }

  private final Cache<String, Outcome> byAddress = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES).build();
  private final Clock clock;

  public ScanOutcomes(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void probed(HostPort address, PortState state) {
    Outcome probe = new Outcome("probe", state.name().toLowerCase(Locale.ROOT), "", clock.instant());
    if (state == PortState.OPEN) {
      // an open port is polled next: its last poll says more than "open" until this one answers
      byAddress.asMap().merge(address.toString(), probe, (held, open) -> held.stage().equals("poll") ? held : open);
    } else {
      byAddress.put(address.toString(), probe);
    }
  }

  @Override
  public void polled(HostPort address) {
    byAddress.put(address.toString(), new Outcome("poll", "session", "", clock.instant()));
  }

  /**
   * A failed poll replaces what was held, except that its lease ran out (an announced session's): the poll was
   * in flight when the lease expired (discovery re-polls the sessions it owns every cycle, and a frozen one holds
   * each poll for the whole poll timeout), so it adds to that outcome rather than hiding it.
   */
  @Override
  public void pollFailed(HostPort address, String kind, String detail) {
    Outcome failed = new Outcome("poll", kind, detail == null ? "" : detail, clock.instant());
    byAddress.asMap().merge(address.toString(), failed, (held, poll) -> held.stage().equals("lease")
        ? new Outcome(held.stage(), held.result(), withLastPoll(held.detail(), poll), held.at())
        : poll);
  }

  private static final String LAST_POLL = "; its last poll: ";

  private static String withLastPoll(String leaseDetail, Outcome poll) {
    int previous = leaseDetail.indexOf(LAST_POLL);
    return (previous < 0 ? leaseDetail : leaseDetail.substring(0, previous)) + LAST_POLL + poll.result()
        + (poll.detail().isEmpty() ? "" : " (" + poll.detail() + ")");
  }

  /**
   * Also keeps, for an announced session whose lease ran out (heard on the local {@link InventoryEvents}), that
   * its heartbeats stopped: such a session is in no scan target, so nothing else would say why it left once its
   * record is gone (and forgets it when the session is up again). Scanned sessions keep their last poll's
   * outcome, which says more. Unregister the consumer when the hub closes.
   */
  public MessageConsumer<JsonObject> followExpiries(EventBus bus) {
    return bus.localConsumer(InventoryEvents.ADDRESS, message -> {
      JsonObject event = message.body();
      JsonObject session = event.getJsonObject("session");
      if (session == null) {
        return;
      }
      String address = session.getString("address");
      if ("down".equals(event.getString("type")) && "lease expired".equals(event.getString("reason"))
          && "announce".equals(session.getString("source"))) {
        byAddress.put(address, new Outcome("lease", "heartbeats_stopped", "last heartbeat at "
            + session.getString("last_seen"), clock.instant()));
      } else if ("up".equals(event.getString("type"))) {
        byAddress.asMap().computeIfPresent(address, (key, held) -> held.stage().equals("lease") ? null : held);
      }
    });
  }

  /** The last outcome for {@code address} ({@code host:port}, IPv6 in brackets), or null if none is kept. */
  public Outcome of(String address) {
    return byAddress.getIfPresent(address);
  }
}
