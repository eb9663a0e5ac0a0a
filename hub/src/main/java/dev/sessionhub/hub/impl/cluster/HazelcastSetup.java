package dev.sessionhub.hub.impl.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.jobs.JobStore;
import dev.sessionhub.hub.impl.jobs.JobsSerializableFactory;
import dev.sessionhub.hub.impl.jobs.RunBatchTask;

/**
 * The embedded Hazelcast member a hub runs by default: TCP-IP join to the members named (no multicast, no
 * auto-detection), bound only to the interface asked for, failure detection in seconds rather than a minute,
 * and Java deserialization refused for anything a peer sends.
 */
public final class HazelcastSetup {

  private HazelcastSetup() {
  }

  public static Config memberConfig(HubOptions options) {
    Config config = HubIds.assignNew(new Config());
    config.setClusterName(ClusterSecrets.of(options.getToken()).clusterName(options.getCluster().getName()));
    config.setInstanceName("sessionhub-" + options.getCluster().getName() + "-" + options.getCluster().getHazelcastPort() + "-"
        + System.nanoTime());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
    config.setProperty("hazelcast.internal.map.expiration.task.period.seconds", "1");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // Members talk over a member-only endpoint (Hazelcast's "advanced network"), not the default port that also
    // serves clients and REST: the default port's protocol encoder spins its output I/O thread, for as long as
    // the peer is silent, on a connection to a peer that accepted it but never answers (a SIGSTOPped or
    // GC-paused hub), starving every other connection that thread serves: the healthy hubs then stopped
    // hearing each other and split (ops/SOAK.md; FrozenPeerTest). The member endpoint's encoder waits instead.
    ServerSocketEndpointConfig members = new ServerSocketEndpointConfig();
    members.setPort(options.getCluster().getHazelcastPort()).setPortAutoIncrement(true).setPortCount(100);
    String bind = options.getHttp().getBindAddress().equals("localhost") ? "127.0.0.1" : options.getHttp().getBindAddress();
    if (!bind.equals("0.0.0.0")) {
      members.getInterfaces().setEnabled(true).addInterface(bind);
    }
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true).setMemberEndpointConfig(members);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.getCluster().getMembers());
    config.getSerializationConfig().setJavaSerializationFilterConfig(
        new JavaSerializationFilterConfig().setDefaultsDisabled(true));
    config.getSerializationConfig().addSerializerConfig(new SerializerConfig().setTypeClass(Throwable.class)
        .setImplementation(new ThrowableSerializer()));
    config.getSerializationConfig().addDataSerializableFactory(RunBatchTask.FACTORY_ID,
        new JobsSerializableFactory());
    config.addExecutorConfig(new ExecutorConfig(RunBatchTask.EXECUTOR).setPoolSize(16).setQueueCapacity(10_000));
    Inventory.configure(config);
    JobStore.configure(config, options.getJobs().getJobTtl());
    dev.sessionhub.hub.impl.jobs.JobCancels.configure(config, options.getJobs().getJobTtl());
    return config;
  }

  public static HazelcastInstance start(HubOptions options) {
    return Hazelcast.newHazelcastInstance(memberConfig(options));
  }
}
