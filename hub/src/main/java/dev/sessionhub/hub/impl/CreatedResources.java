package dev.sessionhub.hub.impl;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a hub's composition root created and must release: how to release each thing is added right after it is
 * created, and {@link #closeAll()} releases them in reverse order of creation, every step on its own
 * (one that throws is logged and the rest still run). The one list used on every path: a failed start at any
 * point, and a normal close.
 */
final class CreatedResources {

  private static final Logger LOG = LoggerFactory.getLogger(CreatedResources.class);

  private record Step(String what, Runnable release) {
  }

  private final Deque<Step> steps = new ArrayDeque<>();

  /** Adds how to release {@code what}, right after it was created (or registered, or attached). */
  void add(String what, Runnable release) {
    steps.push(new Step(what, release));
  }

  /** Releases everything added, newest first; a second call does nothing. */
  void closeAll() {
    while (!steps.isEmpty()) {
      Step step = steps.pop();
      try {
        step.release().run();
      } catch (RuntimeException e) {
        // the cluster member may already be gone (killed) or going away; the other steps must still run
        LOG.debug("releasing {} failed: {}", step.what(), e.toString());
      }
    }
  }
}
