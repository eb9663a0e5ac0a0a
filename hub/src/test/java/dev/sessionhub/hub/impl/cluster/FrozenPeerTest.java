package dev.sessionhub.hub.impl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cluster.Member;
import com.hazelcast.map.IMap;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.HubOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hub that accepts connections but never answers (SIGSTOPped, or stopped in a long GC pause: its kernel still
 * completes TCP handshakes and buffers what is sent) must not stall the connections between the healthy hubs.
 * With Hazelcast's default port, the member connecting to such a peer spun its output I/O thread for as long as
 * the peer stayed silent (the protocol encoder reports "nothing to write" while frames wait, so the pipeline puts
 * itself straight back on the thread's task queue) and that thread never returned to its selector: every other
 * connection it served went quiet. In the chaos soak the two healthy hubs stopped hearing each other and split.
 * The members here get one output thread (three by default, shared by all connections), so the silent peer's
 * connection and the healthy pair's certainly share it.
 */
class FrozenPeerTest {

  private final List<HazelcastInstance> members = new ArrayList<>();

  @AfterEach
  void stop() {
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  @Test
  void aPeerThatAcceptsButNeverAnswersDoesNotStallTheHealthyMembers() throws Exception {
    String cluster = "frozen-" + UUID.randomUUID();
    int silentPort = FreePorts.one();
    List<Integer> ports = List.of(FreePorts.one(), FreePorts.one());
    for (int port : ports) {
      HubOptions options = new HubOptions().setClusterName(cluster).setHazelcastPort(port);
      ports.forEach(p -> options.addMember("127.0.0.1:" + p));
      options.addMember("127.0.0.1:" + silentPort);
      Config config = HazelcastSetup.memberConfig(options);
      config.setProperty("hazelcast.io.output.thread.count", "1");
      members.add(Hazelcast.newHazelcastInstance(config));
    }
    HazelcastInstance master = members.get(0);
    Poll.until(Duration.ofSeconds(60), "two members", () -> members.stream()
        .allMatch(m -> m.getCluster().getMembers().size() == 2));

    AtomicInteger accepted = new AtomicInteger();
    List<Socket> held = new CopyOnWriteArrayList<>(); // added by the acceptor, closed here
    try (ServerSocket silent = new ServerSocket(silentPort, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // and never read or write
            accepted.incrementAndGet();
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "silent-peer");
      acceptor.setDaemon(true);
      acceptor.start();
      // the master's split-brain search connects to every listed address outside the cluster, every 5 s here
      Poll.until(Duration.ofSeconds(30), "a member connected to the silent peer", () -> accepted.get() > 0);

      // for longer than the 8 s heartbeat timeout: the pair stays one cluster and the master's calls to the
      // other member keep answering
      Member other = members.get(1).getCluster().getLocalMember();
      IMap<String, String> map = master.getMap("frozen-peer-probe");
      String key = keyOwnedBy(master, other);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      int calls = 0;
      while (System.nanoTime() < end) {
        map.setAsync(key, "call " + calls).toCompletableFuture().get(3, TimeUnit.SECONDS);
        calls++;
        for (HazelcastInstance m : members) {
          assertEquals(2, m.getCluster().getMembers().size(), "the healthy members are still one cluster");
        }
      }
      assertTrue(calls > 0);
      assertEquals("call " + (calls - 1), members.get(1).getMap("frozen-peer-probe").get(key));
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private static String keyOwnedBy(HazelcastInstance from, Member owner) {
    for (int i = 0; ; i++) {
      String key = "key-" + i;
      if (owner.equals(from.getPartitionService().getPartition(key).getOwner())) {
        return key;
      }
    }
  }
}
