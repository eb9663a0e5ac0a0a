package dev.sessionhub.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The hub's default lease outlasts a failover: at least one scan interval plus 15 s, else 3 intervals. */
class HubCommandLeaseTest {

  @Test
  void theDefaultLeaseOutlastsAFailover() {
    assertEquals(Duration.ofSeconds(20), dev.sessionhub.hub.DiscoveryOptions.defaultLease(Duration.ofSeconds(5)));
    assertEquals(Duration.ofSeconds(17), dev.sessionhub.hub.DiscoveryOptions.defaultLease(Duration.ofSeconds(2)));
    assertEquals(Duration.ofMillis(15_500), dev.sessionhub.hub.DiscoveryOptions.defaultLease(Duration.ofMillis(500)));
    assertEquals(Duration.ofSeconds(180), dev.sessionhub.hub.DiscoveryOptions.defaultLease(Duration.ofSeconds(60)));
  }
}
