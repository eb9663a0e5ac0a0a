package dev.sessionhub.hub.testing;

import com.hazelcast.config.Config;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;

/**
 * Hub member configurations for tests that split and merge real members: each lists the given peers (a member
 * that lists a peer not yet up starts alone) and searches for split clusters every second instead of every 5 s.
 */
public final class MergingMembers {

  private MergingMembers() {
  }

  /** A hub's member configuration in {@code cluster}, on {@code port}, joining {@code listed} (loopback ports). */
  public static Config config(String cluster, int port, int... listed) {
    HubOptions options = new HubOptions().setClusterName(cluster).setHazelcastPort(port);
    for (int peer : listed) {
      options.addMember("127.0.0.1:" + peer);
    }
    Config config = HazelcastSetup.memberConfig(options);
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "1");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "1");
    return config;
  }
}
