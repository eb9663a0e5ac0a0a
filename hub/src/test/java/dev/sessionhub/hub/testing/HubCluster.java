package dev.sessionhub.hub.testing;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.hub.Hub;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.HubImpl;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import java.time.Clock;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Real hubs in this JVM: N Hazelcast members (TCP-IP join on loopback, a random cluster name, ports chosen at
 * run time) each with its own Vert.x and hub on an HTTP port the OS picks. No mocks: the members replicate,
 * own partitions and fail over as on a farm.
 */
public final class HubCluster implements AutoCloseable {

  /** One member of the cluster. */
  public record Node(Vertx vertx, HazelcastInstance hazelcast, Hub hub) {
    public String url() {
      return hub.url();
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private final String clusterName = "test-" + UUID.randomUUID();
  private final int hzBase = FreePorts.range(12);

  /**
   * Starts {@code count} members, each configured by {@code configure} on top of test defaults. The Hazelcast
   * members form the cluster first, then the hubs start, so no test depends on writes racing a join.
   */
  public static HubCluster start(int count, Consumer<HubOptions> configure) throws Exception {
    HubCluster cluster = new HubCluster();
    List<HubOptions> options = new ArrayList<>();
    List<HazelcastInstance> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HubOptions o = cluster.options(i, configure);
      options.add(o);
      members.add(HazelcastSetup.start(o));
    }
    dev.sessionhub.agent.testing.Poll.until(java.time.Duration.ofSeconds(30), "the cluster has " + count
        + " members", () -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == count));
    for (int i = 0; i < count; i++) {
      cluster.startHub(options.get(i), members.get(i));
    }
    return cluster;
  }

  private HubOptions options(int index, Consumer<HubOptions> configure) {
    HubOptions options = new HubOptions()
        .setHttpPort(0)
        .setClusterName(clusterName)
        .setHazelcastPort(hzBase + index);
    for (int i = 0; i < 4; i++) {
      options.addMember("127.0.0.1:" + (hzBase + i));
    }
    configure.accept(options);
    return options;
  }

  /** Adds one more member (joining the running cluster) with its hub. */
  public Node add(Consumer<HubOptions> configure) throws Exception {
    return add(configure, Clock.systemUTC());
  }

  /** Adds one more member whose hub reads time from {@code clock} (a clock ahead of its peers', say). */
  public Node add(Consumer<HubOptions> configure, Clock clock) throws Exception {
    HubOptions options = options(nodes.size(), configure);
    return startHub(options, HazelcastSetup.start(options), clock);
  }

  private Node startHub(HubOptions options, HazelcastInstance hz) throws Exception {
    return startHub(options, hz, Clock.systemUTC());
  }

  private Node startHub(HubOptions options, HazelcastInstance hz, Clock clock) throws Exception {
    Vertx vertx = Vertx.vertx();
    Hub hub = HubImpl.start(vertx, hz, new HubOptions(options).validate(), clock).await(30, TimeUnit.SECONDS);
    Node node = new Node(vertx, hz, hub);
    nodes.add(node);
    return node;
  }

  public Node node(int i) {
    return nodes.get(i);
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** Kills a member abruptly (no graceful leave), as a crashed machine would; its hub stops too. */
  public void kill(Node node) throws Exception {
    nodes.remove(node);
    node.hazelcast().getLifecycleService().terminate();
    node.hub().close().await(10, TimeUnit.SECONDS);
    node.vertx().close().await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    for (Node node : List.copyOf(nodes)) {
      try {
        node.hub().close().await(10, TimeUnit.SECONDS);
        node.vertx().close().await(10, TimeUnit.SECONDS);
      } finally {
        node.hazelcast().shutdown();
      }
    }
    nodes.clear();
  }
}
