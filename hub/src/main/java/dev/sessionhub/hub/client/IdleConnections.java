package dev.sessionhub.hub.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kept-alive agent connections waiting for their next call: at most {@code perEndpoint} per agent and {@code
 * total} in all (each is a file descriptor; a farm has thousands of agents), each for at most {@code maxIdle}.
 * The newest is handed out first; expired ones are closed on the next use of the pool (at most once a second
 * for the whole pool). A connection is checked ({@link AgentConnection#isReusable()}) before it is handed out.
 */
final class IdleConnections implements AutoCloseable {

  private final Map<Endpoint, Deque<AgentConnection>> idle = new ConcurrentHashMap<>();
  private final int perEndpoint;
  private final int total;
  private final long maxIdleNanos;
  private int count;
  private long lastSweepNanos = System.nanoTime();
  private boolean closed;

  IdleConnections(int perEndpoint, int total, long maxIdleMillis) {
    this.perEndpoint = perEndpoint;
    this.total = total;
    this.maxIdleNanos = TimeUnit.MILLISECONDS.toNanos(maxIdleMillis);
  }

  /** A live idle connection to {@code endpoint}, or null. */
  AgentConnection take(Endpoint endpoint) {
    List<AgentConnection> dead = new ArrayList<>(1);
    AgentConnection found = null;
    long now = System.nanoTime();
    synchronized (this) {
      sweep(now, dead);
      Deque<AgentConnection> queue = idle.get(endpoint);
      while (queue != null && !queue.isEmpty() && found == null) {
        AgentConnection c = queue.pollFirst();
        count--;
        if (now - c.idleSinceNanos() < maxIdleNanos && c.isReusable()) {
          found = c;
        } else {
          dead.add(c);
        }
      }
    }
    dead.forEach(AgentConnection::close);
    return found;
  }

  /** Keeps {@code connection} for the next call to its agent, or closes it if the pool is full or closed. */
  void release(AgentConnection connection) {
    long now = System.nanoTime();
    List<AgentConnection> dead = new ArrayList<>(1);
    synchronized (this) {
      sweep(now, dead);
      Deque<AgentConnection> queue = idle.computeIfAbsent(connection.endpoint(), e -> new ArrayDeque<>());
      if (closed || count >= total || queue.size() >= perEndpoint) {
        dead.add(connection);
      } else {
        connection.idle(now);
        queue.addFirst(connection);
        count++;
      }
    }
    dead.forEach(AgentConnection::close);
  }

  synchronized int size() {
    return count;
  }

  /** Removes expired connections into {@code dead}, at most once a second. */
  private void sweep(long now, List<AgentConnection> dead) {
    if (now - lastSweepNanos < TimeUnit.SECONDS.toNanos(1)) {
      return;
    }
    lastSweepNanos = now;
    for (Iterator<Deque<AgentConnection>> queues = idle.values().iterator(); queues.hasNext(); ) {
      Deque<AgentConnection> queue = queues.next();
      for (Iterator<AgentConnection> it = queue.iterator(); it.hasNext(); ) {
        AgentConnection c = it.next();
        if (now - c.idleSinceNanos() >= maxIdleNanos) {
          it.remove();
          count--;
          dead.add(c);
        }
      }
      if (queue.isEmpty()) {
        queues.remove();
      }
    }
  }

  @Override
  public void close() {
    List<AgentConnection> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
      count = 0;
    }
    all.forEach(AgentConnection::close);
  }
}
