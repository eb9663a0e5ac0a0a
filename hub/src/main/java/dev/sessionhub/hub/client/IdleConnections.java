package dev.sessionhub.hub.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kept-alive agent connections waiting for their next call: at most {@code perEndpoint} per agent and {@code
 * total} in all (each is a file descriptor; a farm has thousands of agents), each for at most {@code maxIdle}.
 * The newest is handed out first; expired ones are closed on the next use of the pool (at most once a second
 * for the whole pool). A connection is checked ({@link AgentConnection#isReusable()}) before it is handed out.
 *
 * <p>Each agent's connections have a lock of their own, held only to add or remove one, never across the check
 * or a close (system calls): the 32 workers of a broadcast call 32 different agents at once, and one lock for
 * the whole pool made them queue for each other. The total is counted atomically, so it may overshoot the cap by
 * the few connections released at the same instant; it stays a bound on file descriptors all the same.
 */
final class IdleConnections implements AutoCloseable {

  private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Map<Endpoint, Deque<AgentConnection>> idle = new ConcurrentHashMap<>();
  private final int perEndpoint;
  private final int total;
  private final long maxIdleNanos;
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicLong lastSweepNanos = new AtomicLong(System.nanoTime());
  private volatile boolean closed;

  IdleConnections(int perEndpoint, int total, long maxIdleMillis) {
    this.perEndpoint = perEndpoint;
    this.total = total;
    this.maxIdleNanos = TimeUnit.MILLISECONDS.toNanos(maxIdleMillis);
  }

  /** A live idle connection to {@code endpoint}, or null. */
  AgentConnection take(Endpoint endpoint) {
    long now = System.nanoTime();
    sweepIfDue(now);
    Deque<AgentConnection> queue = idle.get(endpoint);
    while (queue != null) {
      AgentConnection c;
      synchronized (queue) {
        c = queue.pollFirst();
      }
      if (c == null) {
        return null;
      }
      count.decrementAndGet();
      if (now - c.idleSinceNanos() < maxIdleNanos && c.isReusable()) {
        return c;
      }
      c.close();
    }
    return null;
  }

  /** Keeps {@code connection} for the next call to its agent, or closes it if the pool is full or closed. */
  void release(AgentConnection connection) {
    long now = System.nanoTime();
    sweepIfDue(now);
    boolean kept = false;
    while (!closed && count.get() < total) {
      Deque<AgentConnection> queue = idle.computeIfAbsent(connection.endpoint(), e -> new ArrayDeque<>());
      synchronized (queue) {
        if (idle.get(connection.endpoint()) != queue) {
          continue; // the sweep dropped this agent's empty queue meanwhile: take the current one
        }
        if (queue.size() < perEndpoint) {
          connection.idle(now);
          queue.addFirst(connection);
          count.incrementAndGet();
          kept = true;
        }
      }
      break;
    }
    if (!kept) {
      connection.close();
    } else if (closed) {
      closeAll(); // close() ran meanwhile and may have missed this one
    }
  }

  int size() {
    return count.get();
  }

  /**
   * Closes expired connections and forgets agents with none left (a farm's agents come and go), at most once a
   * second (whichever caller wins the turn does it).
   */
  private void sweepIfDue(long now) {
    long last = lastSweepNanos.get();
    if (now - last < SWEEP_EVERY_NANOS || !lastSweepNanos.compareAndSet(last, now)) {
      return;
    }
    List<AgentConnection> dead = new ArrayList<>();
    for (Map.Entry<Endpoint, Deque<AgentConnection>> entry : idle.entrySet()) {
      Deque<AgentConnection> queue = entry.getValue();
      synchronized (queue) {
        for (Iterator<AgentConnection> it = queue.iterator(); it.hasNext(); ) {
          AgentConnection c = it.next();
          if (now - c.idleSinceNanos() >= maxIdleNanos) {
            it.remove();
            count.decrementAndGet();
            dead.add(c);
          }
        }
        if (queue.isEmpty()) {
          idle.remove(entry.getKey(), queue); // under the queue's lock: release() sees it is gone and retries
        }
      }
    }
    dead.forEach(AgentConnection::close);
  }

  @Override
  public void close() {
    closed = true;
    closeAll();
  }

  private void closeAll() {
    List<AgentConnection> all = new ArrayList<>();
    for (Deque<AgentConnection> queue : idle.values()) {
      synchronized (queue) {
        count.addAndGet(-queue.size());
        all.addAll(queue);
        queue.clear();
      }
    }
    all.forEach(AgentConnection::close);
  }
}
