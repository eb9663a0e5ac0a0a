package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.impl.cluster.ClusterSecrets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This member's hub as the batches other hubs send it find it: its command runner and the cluster's secrets, in
 * one future kept in the Hazelcast member's user context.
 *
 * <p>Why a future: a member joins the cluster (and is dealt hosts) a moment before its hub is ready to run
 * commands; a batch that arrives in between waits on the same future the starting hub completes, instead of being
 * refused as unsigned (seen in the chaos soak after a hub restart) or polling. Runner and secrets arrive together,
 * so a batch never finds one without the other.
 */
public final class LocalHub {

  private static final String USER_CONTEXT_KEY = "sessionhub.local-hub";

  /** What a batch needs from this member's hub. */
  public record Parts(CommandRunner runner, ClusterSecrets secrets) {
  }

  private LocalHub() {
  }

  /** The hub of this member is ready to run batches. */
  public static void attach(HazelcastInstance hazelcast, CommandRunner runner, ClusterSecrets secrets) {
    slot(hazelcast).complete(new Parts(runner, secrets));
  }

  /** The hub of this member is gone; later batches wait for another (or time out). */
  public static void detach(HazelcastInstance hazelcast) {
    hazelcast.getUserContext().remove(USER_CONTEXT_KEY);
  }

  /** This member's hub, waiting up to {@code wait} for a starting one; null if none came. */
  static Parts await(HazelcastInstance hazelcast, Duration wait) throws InterruptedException {
    try {
      return slot(hazelcast).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<Parts> slot(HazelcastInstance hazelcast) {
    return (CompletableFuture<Parts>) hazelcast.getUserContext().computeIfAbsent(USER_CONTEXT_KEY,
        key -> new CompletableFuture<Parts>());
  }
}
