package dev.sessionhub.hub.impl.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A hub's identity in the cluster: the id jobs name as their coordinator, results as {@code ran_by}, inventory
 * entries as the hub that renewed them, and {@code GET /api/cluster} as {@code member}. It is a UUID chosen once
 * per process and carried as a member attribute, not the Hazelcast member UUID: Hazelcast gives a member a new UUID
 * each time it merges back into a cluster after a split (or after a freeze long enough to be removed), and a hub
 * that merged back is still the hub that coordinates its jobs and renewed its sessions. A member without the
 * attribute (not started by {@link HazelcastSetup}) is known by its member UUID.
 */
public final class HubIds {

  static final String ATTRIBUTE = "sessionhub.hub";

  private HubIds() {
  }

  /** Gives the member {@code config} starts a new hub id. */
  static Config assignNew(Config config) {
    config.getMemberAttributeConfig().setAttribute(ATTRIBUTE, UUID.randomUUID().toString());
    return config;
  }

  public static String of(Member member) {
    String id = member.getAttribute(ATTRIBUTE);
    return id != null ? id : member.getUuid().toString();
  }

  public static String local(HazelcastInstance hazelcast) {
    return of(hazelcast.getCluster().getLocalMember());
  }

  /** The hub ids of the members of this member's cluster as it sees it now. */
  public static Set<String> members(HazelcastInstance hazelcast) {
    Set<String> ids = new HashSet<>();
    hazelcast.getCluster().getMembers().forEach(m -> ids.add(of(m)));
    return ids;
  }

  public static boolean isMember(HazelcastInstance hazelcast, String hubId) {
    for (Member m : hazelcast.getCluster().getMembers()) {
      if (of(m).equals(hubId)) {
        return true;
      }
    }
    return false;
  }
}
