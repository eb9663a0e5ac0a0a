package dev.sessionhub.hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * How a hub joins its cluster (an embedded Hazelcast member): the cluster name, the member port, the members to
 * join, and which addresses a member may have. Defaults: cluster {@code sessionhub}, port 5701.
 */
public final class ClusterOptions {

  public static final String DEFAULT_NAME = "sessionhub";
  public static final int DEFAULT_HAZELCAST_PORT = 5701;

  private String name = DEFAULT_NAME;
  private int hazelcastPort = DEFAULT_HAZELCAST_PORT;
  private final List<String> members = new ArrayList<>();
  private final List<String> trustedMembers = new ArrayList<>();

  public ClusterOptions() {
  }

  /** Reads the keys {@link #toJson()} writes; absent keys keep their defaults. */
  public ClusterOptions(JsonObject json) {
    setName(json.getString("name", name));
    setHazelcastPort(json.getInteger("hazelcastPort", hazelcastPort));
    json.getJsonArray("members", new JsonArray()).forEach(m -> addMember(String.valueOf(m)));
    json.getJsonArray("trustedMembers", new JsonArray()).forEach(m -> addTrustedMember(String.valueOf(m)));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("hazelcastPort", hazelcastPort)
        .put("members", new JsonArray(new ArrayList<>(members)))
        .put("trustedMembers", new JsonArray(new ArrayList<>(trustedMembers)));
  }

  public String getName() {
    return name;
  }

  public ClusterOptions setName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("cluster name is empty");
    }
    this.name = name;
    return this;
  }

  public int getHazelcastPort() {
    return hazelcastPort;
  }

  public ClusterOptions setHazelcastPort(int hazelcastPort) {
    if (hazelcastPort < 1 || hazelcastPort > 65535) {
      throw new IllegalArgumentException("Hazelcast port " + hazelcastPort + " is outside 1-65535");
    }
    this.hazelcastPort = hazelcastPort;
    return this;
  }

  /** Members to join ({@code host} or {@code host:port}); none: this member starts a cluster of its own. */
  public List<String> getMembers() {
    return List.copyOf(members);
  }

  public ClusterOptions addMember(String member) {
    if (member != null && !member.isBlank()) {
      members.add(member.trim());
    }
    return this;
  }

  /**
   * Addresses or CIDR ranges cluster members may have; empty trusts any member that knows the cluster name. A
   * member outside the list is reported and never given work, and batches it sends are refused.
   */
  public List<String> getTrustedMembers() {
    return List.copyOf(trustedMembers);
  }

  public ClusterOptions addTrustedMember(String member) {
    if (member != null && !member.isBlank()) {
      new dev.sessionhub.hub.impl.cluster.MemberTrust(List.of(member)); // names a bad entry now, not at start
      trustedMembers.add(member.trim());
    }
    return this;
  }
}
