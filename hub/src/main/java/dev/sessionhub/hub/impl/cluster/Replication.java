package dev.sessionhub.hub.impl.cluster;

import com.hazelcast.config.MapConfig;

/**
 * How many copies of the cluster's maps each write makes: one synchronous backup (the write returns once it is
 * held by two members) and, beyond it, asynchronous backups to the rest: with Hazelcast's limit of six backups,
 * every hub of a cluster of up to seven holds a copy of every entry. A hub cut off from all the others keeps the
 * whole map, and a second failure soon after a first (a hub that merges back holds nothing until its replicas
 * are synced, so with one backup the next member to fail took the only other copy with it: the chaos soak lost
 * 100 stored results that way) loses nothing another live hub has. Costs each write a message to every other
 * hub, and each hub memory for the whole map.
 */
public final class Replication {

  public static final int SYNC_BACKUPS = 1;
  public static final int ASYNC_BACKUPS = 5;

  private Replication() {
  }

  /** {@code map} with a copy of every entry on every hub. */
  public static MapConfig onEveryHub(MapConfig map) {
    return map.setBackupCount(SYNC_BACKUPS).setAsyncBackupCount(ASYNC_BACKUPS);
  }
}
