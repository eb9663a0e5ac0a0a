package dev.sessionhub.hub.impl.cluster;

import dev.sessionhub.shared.scan.HostPort;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.impl.inventory.SessionRecord;
import dev.sessionhub.shared.scan.ScanTarget;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which hub owns a host: it scans the host and runs the commands for the host's sessions.
 *
 * <p>The hosts of the scan targets are dealt round-robin over the cluster's members in one fixed order (members by
 * UUID, hosts in target order), so every hub computes the same owners from the same member list, N hubs get
 * within one host of an equal share, and a hub joining or leaving moves ownership by itself. Why not the owner of
 * the host's Hazelcast partition, as before: with few hosts the partition hash split them unevenly (20 hosts fell
 * 4 and 16 between two hubs, so the second hub did not make a cycle faster). Any other host (a session that
 * announced itself from outside the targets) goes to the owner of its partition. Hubs of one cluster are expected
 * to share their scan targets, as they share everything else.
 */
public final class HostOwners {

  /** Beyond this many target hosts, owners fall back to partitions (the index would cost too much memory). */
  static final int MAX_INDEXED_HOSTS = 1 << 20;

  private final HazelcastInstance hazelcast;
  private final Map<String, Integer> targetHosts;
  private volatile MemberOrder order = new MemberOrder(Set.of(), List.of());

  public HostOwners(HazelcastInstance hazelcast, List<ScanTarget> targets) {
    this.hazelcast = hazelcast;
    this.targetHosts = index(targets);
  }

  /** {@code render01}, {@code 10.0.0.5}, {@code [::1]}: the host part of an inventory address. */
  public static String hostKey(String host) {
    return HostPort.hostKey(host);
  }

  /** The owner of {@code hostKey} (as {@link #hostKey} gives it); null while the member has no cluster view. */
  public Member ownerOf(String hostKey) {
    Integer position = targetHosts.get(hostKey);
    if (position == null) {
      return hazelcast.getPartitionService().getPartition(hostKey).getOwner();
    }
    List<Member> members = members();
    return members.isEmpty() ? null : members.get(position % members.size());
  }

  public boolean ownsLocally(String hostKey) {
    Member owner = ownerOf(hostKey);
    return owner != null && owner.localMember();
  }

  /** Whether some hub scans {@code hostKey} (it is one of the targets' hosts). */
  public boolean isTargetHost(String hostKey) {
    return targetHosts.containsKey(hostKey);
  }

  private List<Member> members() {
    Set<Member> now = hazelcast.getCluster().getMembers();
    MemberOrder known = order;
    if (!known.members().equals(now)) {
      known = new MemberOrder(Set.copyOf(now),
          now.stream().sorted(Comparator.comparing(HubIds::of)).toList());
      order = known;
    }
    return known.sorted();
  }

  private static Map<String, Integer> index(List<ScanTarget> targets) {
    Map<String, Integer> index = new HashMap<>();
    for (ScanTarget target : targets) {
      for (String host : target.hosts()) {
        if (index.size() >= MAX_INDEXED_HOSTS) {
          return Map.of();
        }
        index.putIfAbsent(hostKey(host), index.size());
      }
    }
    return index;
  }

  private record MemberOrder(Set<Member> members, List<Member> sorted) {
  }
}
