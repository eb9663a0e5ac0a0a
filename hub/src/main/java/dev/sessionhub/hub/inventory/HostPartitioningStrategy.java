package dev.sessionhub.hub.inventory;

import com.hazelcast.partition.PartitioningStrategy;

/**
 * Puts every inventory key {@code host:port} in the partition of its {@code host}. The hub that owns a host's
 * partition scans that host, and with this strategy it also owns (and re-polls) every session on that host, so
 * one ownership rule covers both and moves as one when members join or leave.
 */
public final class HostPartitioningStrategy implements PartitioningStrategy<Object> {

  @Override
  public Object getPartitionKey(Object key) {
    if (key instanceof String s) {
      return hostOf(s);
    }
    return key;
  }

  /** {@code render01:8000} → {@code render01}; {@code [::1]:8000} → {@code [::1]}. */
  public static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    return colon <= 0 ? address : address.substring(0, colon);
  }
}
