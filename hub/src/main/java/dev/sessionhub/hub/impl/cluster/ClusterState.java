package dev.sessionhub.hub.impl.cluster;

import dev.sessionhub.hub.HubStatus;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The hubs of the cluster as {@code GET /api/cluster} shows them: the Hazelcast members (the truth about who is
 * in) joined with the {@link HubStatus} each publishes after its scan cycles. Statuses live in a small JSON map
 * with a TTL, so a dead hub's entry fades even if nobody removes it.
 */
public final class ClusterState {

  public static final String MAP_NAME = "sessionhub.hubs";
  private static final Duration STATUS_TTL = Duration.ofMinutes(10);

  private final String clusterName;
  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, HazelcastJsonValue> statuses;

  /** @param clusterName the name as configured (members join with a token-derived name that is never shown) */
  public ClusterState(Vertx vertx, HazelcastInstance hazelcast, String clusterName) {
    this.clusterName = clusterName;
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.statuses = hazelcast.getMap(MAP_NAME);
  }

  public String localMemberId() {
    return HubIds.local(hazelcast);
  }

  public Future<Void> publish(HubStatus status) {
    return Future.fromCompletionStage(statuses.setAsync(status.memberId(),
        new HazelcastJsonValue(status.toJson().encode()), STATUS_TTL.toMillis(), TimeUnit.MILLISECONDS),
        vertx.getOrCreateContext());
  }

  /** Members with their published status, oldest member first (Hazelcast's master first). */
  public Future<JsonObject> view() {
    return vertx.executeBlocking(() -> {
      JsonArray members = new JsonArray();
      for (Member m : hazelcast.getCluster().getMembers()) {
        String id = HubIds.of(m);
        HazelcastJsonValue status = statuses.get(id);
        JsonObject entry = status == null ? new JsonObject().put("member", id) : new JsonObject(status.getValue());
        entry.put("member_address", m.getAddress().toString()).put("local", m.localMember());
        members.add(entry);
      }
      return new JsonObject()
          .put("cluster", clusterName)
          .put("state", hazelcast.getCluster().getClusterState().name().toLowerCase())
          .put("size", members.size())
          .put("members", members);
    }, false);
  }
}
