package dev.sessionhub.hub.impl.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool of threads on which blocking agent calls run: a fixed number of workers and a bounded
 * queue of calls waiting for one.
 *
 * <p>Why its own executor and not a Vert.x worker pool: Vert.x's shared worker executors are unbounded queues
 * shared by name, so a flood of calls (a broadcast to thousands of sessions) would queue without limit, and two
 * clients with the same pool name would share one size. Here a call beyond {@code maxQueued} is refused at once
 * ({@link #offer(Runnable)} returns false), which the client reports as OVERLOADED. Worker threads are daemons
 * and expire after a minute idle, so an idle client holds no threads.
 */
final class CallPool {

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ThreadPoolExecutor executor;

  /** {@code onTerminated} runs once, after {@link #shutdown()}, when the last running call has ended. */
  CallPool(String name, int size, int maxQueued, Runnable onTerminated) {
    BlockingQueue<Runnable> queue = maxQueued == 0 ? new SynchronousQueue<>() : new LinkedBlockingQueue<>(maxQueued);
    executor = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, queue, threads(name),
        new ThreadPoolExecutor.AbortPolicy()) {
      @Override
      protected void terminated() {
        onTerminated.run();
      }
    };
    executor.allowCoreThreadTimeOut(true);
  }

  /** Queues the task, or returns false if the queue is full or the pool is shut down. */
  boolean offer(Runnable task) {
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException full) {
      return false;
    }
  }

  /** Workers running a call now (read for metrics; takes the executor's lock briefly). */
  int busy() {
    return executor.getActiveCount();
  }

  /** Calls waiting for a worker now. */
  int queued() {
    return executor.getQueue().size();
  }

  boolean isShutdown() {
    return executor.isShutdown();
  }

  /** Stops taking work and returns the tasks that never started. Running calls finish by their deadlines: workers are
   * not interrupted, since an interrupt closes the socket channel a call is blocked on. */
  List<Runnable> shutdown() {
    List<Runnable> never = new ArrayList<>();
    executor.getQueue().drainTo(never);
    executor.shutdown();
    return never;
  }

  private static ThreadFactory threads(String name) {
    String prefix = name + "-" + POOLS.incrementAndGet() + "-";
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
