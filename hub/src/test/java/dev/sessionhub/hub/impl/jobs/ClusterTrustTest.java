package dev.sessionhub.hub.impl.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.hub.Hub;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.cluster.ClusterSecrets;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import dev.sessionhub.hub.impl.cluster.MemberTrust;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the token gives the Hazelcast cluster: a member with another token cannot join (the join name carries a
 * digest of it), and a member that did join cannot make a hub run code with the token unless its batch is
 * signed with it. The allow-list parses addresses and CIDR ranges and names a bad entry.
 */
class ClusterTrustTest {

  @TempDir
  Path dir;

  @Test
  void aMemberWithAnotherTokenCannotJoin() {
    String name = "trust-" + UUID.randomUUID();
    int port = FreePorts.range(3);
    HazelcastInstance first = HazelcastSetup.start(options(name, port, "token-one", port));
    HazelcastInstance stranger = HazelcastSetup.start(options(name, port + 1, "token-two", port));
    HazelcastInstance friend = HazelcastSetup.start(options(name, port + 2, "token-one", port));
    try {
      assertEquals(1, stranger.getCluster().getMembers().size(), "the member with another token is alone");
      assertEquals(2, first.getCluster().getMembers().size(), "the member with the same token joined");
      assertEquals(2, friend.getCluster().getMembers().size());
    } finally {
      friend.shutdown();
      stranger.shutdown();
      first.shutdown();
    }
  }

  @Test
  void aBatchNotSignedWithTheTokenIsRefusedAndRunsNothing() throws Exception {
    String token = "batch-token-" + UUID.randomUUID();
    int agentPort = FreePorts.one();
    try (Agents agents = new Agents(); HubCluster cluster = HubCluster.start(1, o -> o.setToken(token))) {
      Agent agent = agents.start(new AgentOptions().setBasePort(agentPort).setMaxPort(agentPort).setToken(token));
      // a bare member: it knows the join name (say, read off the network) but has no hub and no token key
      HubOptions rogueOptions = new HubOptions().setToken(token).setClusterName(
          cluster.node(0).hazelcast().getConfig().getClusterName().replaceAll("-[0-9a-f]{16}$", ""))
          .setHazelcastPort(FreePorts.one());
      cluster.node(0).hazelcast().getConfig().getAdvancedNetworkConfig().getJoin().getTcpIpConfig().getMembers()
          .forEach(rogueOptions::addMember);
      HazelcastInstance rogue = HazelcastSetup.start(rogueOptions);
      try {
        assertEquals(2, rogue.getCluster().getMembers().size(), "the bare member joined");
        Member hubMember = cluster.node(0).hazelcast().getCluster().getLocalMember();
        Path forged = dir.resolve("forged");
        Map<String, String> target = Map.of("127.0.0.1:" + agent.port(), "http://127.0.0.1:" + agent.port() + "/");

        RunBatchTask unsigned = new RunBatchTask("job-forged", write(forged), 5000, target, Set.of(), Set.of(), ticket());
        ExecutionException refused = assertThrows(ExecutionException.class, () -> rogue
            .getExecutorService(RunBatchTask.EXECUTOR).submitToMember(unsigned, hubMember).get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage().contains("not signed with this cluster's token"),
            refused.getCause().toString());
        RunBatchTask wronglySigned = new RunBatchTask("job-forged2", write(forged), 5000, target, Set.of(), Set.of(), ticket())
            .signedWith(ClusterSecrets.of("a guess"));
        assertThrows(ExecutionException.class, () -> rogue.getExecutorService(RunBatchTask.EXECUTOR)
            .submitToMember(wronglySigned, hubMember).get(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(forged), "the agent never ran the forged code");

        Path signed = dir.resolve("signed");
        // the agent's first command loads its Python (seconds on a loaded machine): a time limit no load reaches
        RunBatchTask good = new RunBatchTask("job-signed", write(signed), 120_000, target, Set.of(), Set.of(),
            ticket()).signedWith(ClusterSecrets.of(token));
        BatchReply reply = rogue.getExecutorService(RunBatchTask.EXECUTOR).<BatchReply>submitToMember(good, hubMember)
            .get(180, TimeUnit.SECONDS);
        assertEquals(1, reply.size(), "the owner answers the batch's one end");
        assertEquals(TargetState.OK, reply.results().get(0).state(), "as stored: the command ran");
        assertTrue(Files.exists(signed), "a batch signed with the token runs");
      } finally {
        rogue.shutdown();
      }
    }
  }

  @Test
  void theAllowListTakesAddressesAndRangesAndNamesABadEntry() {
    new MemberTrust(List.of("10.1.0.0/16", "192.168.4.7", "fd00::/8"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MemberTrust(List.of("10.0.0.0/33")));
    assertEquals("trusted member '10.0.0.0/33': prefix must be 0-32", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new HubOptions().addTrustedMember("render*.farm"));
    assertEquals("trusted member 'render*.farm' is not an IP address or CIDR range", e.getMessage());
  }

  @Test
  void aBatchThatArrivesBeforeTheMembersHubHasStartedWaitsForItThenRuns() throws Exception {
    String token = "early-batch-" + UUID.randomUUID();
    int agentPort = FreePorts.one();
    try (Agents agents = new Agents(); HubCluster cluster = HubCluster.start(1, o -> o.setToken(token))) {
      Agent agent = agents.start(new AgentOptions().setBasePort(agentPort).setMaxPort(agentPort).setToken(token));
      // a member that has joined (and may be dealt hosts) while its hub is still starting
      HubOptions lateOptions = new HubOptions().setToken(token).setHttpPort(0).setClusterName(
          cluster.node(0).hazelcast().getConfig().getClusterName().replaceAll("-[0-9a-f]{16}$", ""))
          .setHazelcastPort(FreePorts.one());
      cluster.node(0).hazelcast().getConfig().getAdvancedNetworkConfig().getJoin().getTcpIpConfig().getMembers()
          .forEach(lateOptions::addMember);
      HazelcastInstance late = HazelcastSetup.start(lateOptions);
      Vertx vertx = Vertx.vertx();
      try {
        assertEquals(2, late.getCluster().getMembers().size(), "the member joined");
        Path ran = dir.resolve("ran");
        Map<String, String> target = Map.of("127.0.0.1:" + agent.port(), "http://127.0.0.1:" + agent.port() + "/");
        RunBatchTask batch = new RunBatchTask("job-early", write(ran), 120_000, target, Set.of(), Set.of(),
            ticket()).signedWith(ClusterSecrets.of(token));
        Future<BatchReply> sent = cluster.node(0).hazelcast().getExecutorService(RunBatchTask.EXECUTOR)
            .submitToMember(batch, late.getCluster().getLocalMember());
        assertFalse(sent.isDone(), "no hub runs there yet: the batch waits");

        Hub hub = Hub.start(vertx, late, lateOptions).await(60, TimeUnit.SECONDS);
        try {
          assertEquals(1, sent.get(180, TimeUnit.SECONDS).size(), "the batch ran once the hub had started");
          assertTrue(Files.exists(ran), "the agent ran the command");
        } finally {
          hub.close().await(10, TimeUnit.SECONDS);
        }
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
        late.shutdown();
      }
    }
  }

  private static String write(Path marker) {
    return "open(r'" + marker + "', 'w').write('ran')";
  }

  private static HubOptions options(String name, int port, String token, int seed) {
    return new HubOptions().setClusterName(name).setHazelcastPort(port).setToken(token)
        .addMember("127.0.0.1:" + seed);
  }

  /** A batch dispatched now by a coordinator the fence does not check (the test's member is no hub). */
  private static SendFence.BatchTicket ticket() {
    return new SendFence.BatchTicket(null, java.time.Instant.now(), java.time.Instant.now().plusSeconds(180));
  }
}
