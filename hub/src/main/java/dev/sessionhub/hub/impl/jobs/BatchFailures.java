package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a failed batch submission says about its commands: whether the batch certainly never started on its
 * owner (so no command of it ran), or may have (the owner left while it ran, or an answer was lost).
 */
final class BatchFailures {

  private BatchFailures() {
  }

  /**
   * True only for failures that happen before the owner runs any of the batch: the target was not a member when
   * it was sent, this member is shutting down, the owner's executor refused it, or the owner refused to run it
   * (no hub on that member, a bad signature).
   */
  static boolean neverDelivered(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof MemberLeftException) {
        return false;
      }
      if (c instanceof TargetNotMemberException || c instanceof HazelcastInstanceNotActiveException
          || c instanceof RejectedExecutionException || c instanceof SecurityException
          || c instanceof IllegalStateException) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** The failure's type and message, without a stack. */
  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
