package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.impl.cluster.HubIds;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery with real Hazelcast members and real agents on four loopback "hosts" (127.0.0.1-4): every agent
 * found exactly once, hosts split between hubs, expiry within the lease, failover when a hub dies, and
 * announced agents without any scan range.
 */
class HubDiscoveryTest {

  private static final Duration LEASE = Duration.ofMillis(2500);
  private static final Duration INTERVAL = Duration.ofMillis(400);
  private static final Duration FAILOVER_LEASE = Duration.ofSeconds(10);

  private Agents agents;
  private HubCluster cluster;
  private int base;

  @BeforeEach
  void setUp() {
    agents = new Agents();
    base = FreePorts.range(10);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    agents.close();
  }

  private String targets() {
    return "127.0.0.1-4:" + base + "-" + (base + 9);
  }

  private void startCluster(int members) throws Exception {
    startCluster(members, LEASE);
  }

  private void startCluster(int members, Duration lease) throws Exception {
    cluster = HubCluster.start(members, o -> o.addScanTarget(targets()).setScanInterval(INTERVAL).setLease(lease)
        .setProbeTimeout(Duration.ofMillis(300)));
  }

  private void startAgentsOnFourHosts() throws Exception {
    for (int h = 1; h <= 4; h++) {
      agents.start("127.0.0." + h, base, base + 9);
      agents.start("127.0.0." + h, base, base + 9);
    }
  }

  private static Set<String> addresses(JsonObject listing) {
    Set<String> out = new HashSet<>();
    for (Object o : listing.getJsonArray("sessions")) {
      out.add(((JsonObject) o).getString("address"));
    }
    return out;
  }

  private Set<String> agentAddresses() {
    Set<String> out = new HashSet<>();
    for (Agent a : agents.all()) {
      out.add(a.url().replace("http://", "").replace("/", ""));
    }
    return out;
  }

  @Test
  void twoHubsFindEveryAgentExactlyOnceAndSplitTheHosts() throws Exception {
    startAgentsOnFourHosts();
    startCluster(2);
    String hubA = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "all 8 agents in the inventory", () -> HubApi.count(hubA, "") == 8);
    JsonObject listing = HubApi.sessions(hubA, "");
    assertEquals(agentAddresses(), addresses(listing), "each agent once, keyed host:port");
    assertEquals(listing.getJsonArray("sessions").size(), addresses(listing).size(), "no duplicates");
    Poll.until(Duration.ofSeconds(5), "both hubs see the same sessions",
        () -> addresses(HubApi.sessions(cluster.node(1).url(), "")).equals(agentAddresses()));

    Poll.until(Duration.ofSeconds(10), "both hubs have published a scan", () -> {
      JsonArray members = HubApi.get(hubA, "/api/cluster").json().getJsonArray("members");
      return members.size() == 2 && members.stream().allMatch(m -> ((JsonObject) m).getString("last_scan_at") != null);
    });
    JsonArray members = HubApi.get(hubA, "/api/cluster").json().getJsonArray("members");
    long owned = 0;
    Set<Object> hosts = new HashSet<>();
    for (Object m : members) {
      JsonObject member = (JsonObject) m;
      owned += member.getLong("hosts_owned");
      hosts.addAll(member.getJsonArray("hosts").getList());
      assertTrue(member.getLong("last_scan_ms") >= 0);
    }
    assertEquals(4, owned, "the four hosts are split between the hubs, each scanned by exactly one: " + members);
    assertEquals(Set.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"), hosts);
  }

  @Test
  void aStoppedAgentLeavesWithinItsLease() throws Exception {
    startAgentsOnFourHosts();
    startCluster(1);
    String hub = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "8 agents found", () -> HubApi.count(hub, "") == 8);
    Agent victim = agents.all().get(3);
    String address = victim.url().replace("http://", "").replace("/", "");
    long stoppedAt = System.nanoTime();
    agents.stop(victim);
    Poll.until(LEASE.plus(Duration.ofSeconds(4)), "the stopped agent expires", () -> HubApi.count(hub, "") == 7);
    long tookMs = (System.nanoTime() - stoppedAt) / 1_000_000;
    assertTrue(tookMs <= LEASE.toMillis() + 2500, "gone " + tookMs + " ms after stopping; lease " + LEASE);
    assertEquals(404, HubApi.get(hub, "/api/sessions/" + address).status());
  }

  @Test
  void killingAHubKeepsTheInventoryAndTheSurvivorsTakeOverItsHosts() throws Exception {
    startAgentsOnFourHosts();
    // A lease must outlast a failover (failure detection, partition repair, the next scan): with 2.5 s leases
    // entries lapsed and were re-discovered mid-failover. The default lease is 15 s.
    startCluster(3, FAILOVER_LEASE);
    String hubA = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "8 agents found", () -> HubApi.count(hubA, "") == 8);
    HubCluster.Node victim = cluster.nodes().stream()
        .filter(n -> n.hub() != null && ownsSomething(hubA, HubIds.local(n.hazelcast())))
        .findFirst().orElseThrow();
    String victimId = HubIds.local(victim.hazelcast());
    String firstSeenBefore = firstSeen(hubA);
    cluster.kill(victim);
    String survivor = cluster.node(0).url();
    assertEquals(8, HubApi.count(survivor, ""), "killing a hub wipes nothing");
    Poll.until(Duration.ofSeconds(30), "the survivors own all four hosts", () -> {
      JsonArray members = HubApi.get(survivor, "/api/cluster").json().getJsonArray("members");
      return members.size() == 2 && members.stream().mapToLong(m -> ((JsonObject) m).getLong("hosts_owned", 0L))
          .sum() == 4 && members.stream().noneMatch(m -> victimId.equals(((JsonObject) m).getString("member")));
    });
    // Leases keep being renewed by the survivors: still all 8, the same entries, after more than a lease.
    long until = System.nanoTime() + FAILOVER_LEASE.plusSeconds(2).toNanos();
    Poll.until(FAILOVER_LEASE.multipliedBy(2), "a lease passes", () -> System.nanoTime() > until);
    assertEquals(8, HubApi.count(survivor, ""));
    assertEquals(firstSeenBefore, firstSeen(survivor),
        "the entries survived the failover: none was dropped and re-discovered");
  }

  @Test
  void theSurvivorRenewsAKilledHubsSessionsAtOnceNotAScanIntervalLater() throws Exception {
    startAgentsOnFourHosts();
    cluster = HubCluster.start(2, o -> o.addScanTarget(targets()).setScanInterval(Duration.ofSeconds(60))
        .setProbeTimeout(Duration.ofMillis(300)));
    String hubA = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "8 agents found", () -> HubApi.count(hubA, "") == 8);
    HubCluster.Node victim = cluster.node(1);
    String victimId = HubIds.local(victim.hazelcast());
    String survivorId = HubIds.local(cluster.node(0).hazelcast());
    Poll.until(Duration.ofSeconds(10), "the other hub renews the sessions of its hosts",
        () -> agentAddresses().stream().filter(a -> victimId.equals(renewedBy(hubA, a))).count() == 4);

    cluster.kill(victim);
    // the survivor's next scan is due a minute after its first: only a cycle run when the member left renews now
    Poll.until(Duration.ofSeconds(20), "the survivor renews every session",
        () -> agentAddresses().stream().allMatch(a -> survivorId.equals(renewedBy(hubA, a))));
  }

  /**
   * A hub polls any session whose entry is older than two thirds of its lease, on whatever host, without waiting
   * for its cluster to remove the hub that should renew it (a hub cut off from the others keeps them as members
   * for up to ~14 s). Here the late hub's clock runs 130 s ahead, so every entry its peer renews looks that old
   * (the lease is 180 s); without the rule it never touches the peer's hosts before its next scan, a minute away.
   */
  @Test
  void aHubPollsSessionsWhoseEntriesAreOverdueWhoeverOwnsTheirHosts() throws Exception {
    startAgentsOnFourHosts();
    java.util.function.Consumer<dev.sessionhub.hub.HubOptions> slow = o -> o.addScanTarget(targets())
        .setScanInterval(Duration.ofSeconds(60)).setProbeTimeout(Duration.ofMillis(300));
    cluster = HubCluster.start(1, slow);
    String hubA = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "8 agents found", () -> HubApi.count(hubA, "") == 8);
    String punctualId = HubIds.local(cluster.node(0).hazelcast());
    HubCluster.Node late = cluster.add(slow, java.time.Clock.offset(java.time.Clock.systemUTC(),
        Duration.ofSeconds(130)));
    String lateId = HubIds.local(late.hazelcast());
    Poll.until(Duration.ofSeconds(20), "the late hub renews every session, on its peer's hosts too",
        () -> agentAddresses().stream().allMatch(a -> lateId.equals(renewedBy(late.url(), a))));
    assertTrue(ownsSomething(hubA, punctualId), "the punctual hub still owns hosts");
  }

  private static String renewedBy(String hub, String address) {
    return HubApi.get(hub, "/api/sessions/" + address).json().getString("hub");
  }

  /** first_seen of every agent's entry, read from the map itself (GET by address), in address order. */
  private String firstSeen(String hub) {
    return agentAddresses().stream().sorted()
        .map(a -> HubApi.get(hub, "/api/sessions/" + a).json().getString("first_seen")).toList().toString();
  }

  private static boolean ownsSomething(String hub, String memberId) {
    for (Object m : HubApi.get(hub, "/api/cluster").json().getJsonArray("members")) {
      JsonObject member = (JsonObject) m;
      if (memberId.equals(member.getString("member")) && member.getLong("hosts_owned", 0L) > 0) {
        return true;
      }
    }
    return false;
  }

  @Test
  void anAnnouncedAgentAppearsWithoutAnyScanRangeAndLeavesAtOnce() throws Exception {
    cluster = HubCluster.start(1, o -> o.setScanInterval(INTERVAL).setLease(LEASE));
    String hub = cluster.node(0).url();
    long start = System.nanoTime();
    Agent agent = agents.start(new AgentOptions().setBasePort(base).setMaxPort(base + 9).setHubUrl(hub)
        .setHeartbeatInterval(Duration.ofMillis(500)));
    Poll.until(Duration.ofSeconds(5), "the announced agent appears", () -> HubApi.count(hub, "source=announce") == 1);
    long appearedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(appearedMs < 1500, "appeared after " + appearedMs + " ms");
    JsonObject session = HubApi.sessions(hub, "").getJsonArray("sessions").getJsonObject(0);
    assertEquals(agent.sessionId(), session.getString("session_id"));
    assertEquals("announce", session.getString("source"));
    // Heartbeats keep it past its lease.
    long until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
    Poll.until(LEASE.multipliedBy(3), "two leases pass", () -> System.nanoTime() > until);
    assertEquals(1, HubApi.count(hub, ""));
    long stop = System.nanoTime();
    agents.stop(agent);
    Poll.until(Duration.ofSeconds(2), "a clean exit deregisters at once", () -> HubApi.count(hub, "") == 0);
    assertTrue((System.nanoTime() - stop) / 1_000_000 < LEASE.toMillis(), "removed before the lease could expire");
  }

  @Test
  void selectorsFilterTheInventory() throws Exception {
    agents.start(new AgentOptions().setBasePort(base).setMaxPort(base + 9).setName("lighting").addTag("show", "abc"));
    agents.start(new AgentOptions().setBasePort(base).setMaxPort(base + 9).setName("comp").addTag("show", "xyz"));
    startCluster(1);
    String hub = cluster.node(0).url();
    Poll.until(Duration.ofSeconds(20), "2 agents found", () -> HubApi.count(hub, "") == 2);
    assertEquals(1, HubApi.count(hub, "tag.show=abc"));
    assertEquals(1, HubApi.count(hub, "name=comp"));
    assertEquals(2, HubApi.count(hub, "app=TESTAPP object=Cube"));
    assertEquals(1, HubApi.count(hub, "!tag.show=abc"));
    assertEquals(2, HubApi.count(hub, "tag.show=abc,xyz"));
    assertEquals(0, HubApi.count(hub, "app=maya"));
    assertEquals(1, HubApi.count(hub, "port=" + agents.all().get(0).port()));
    assertEquals(1, HubApi.count(hub, "id=" + agents.all().get(1).sessionId()));
    HubApi.Reply bad = HubApi.get(hub, "/api/sessions?selector=colour%3Dred");
    assertEquals(400, bad.status());
    assertEquals("bad_selector", bad.json().getString("error"));
    assertTrue(bad.json().getString("message").startsWith("unknown field 'colour' in 'colour=red'"));
  }
}
