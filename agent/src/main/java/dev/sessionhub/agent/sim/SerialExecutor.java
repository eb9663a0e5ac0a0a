package dev.sessionhub.agent.sim;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in order, on a shared pool: a "main thread" for a simulated session that costs no
 * thread of its own, so a thousand sessions can share a handful of threads and still each run their commands
 * strictly in sequence.
 */
public final class SerialExecutor implements Executor {

  private final Executor pool;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  /**
   * Queues the task, and starts draining on the pool if nothing is. The pool is asked outside the lock: asking it
   * wakes a pool thread, whose first step is to take this lock, and it used to find the lock still held.
   */
  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        tasks.remove(task);
        running = false;
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // The task reports its own failure; the lane goes on.
      }
    }
  }
}
