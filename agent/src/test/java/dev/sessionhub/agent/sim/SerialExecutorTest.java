package dev.sessionhub.agent.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A simulated session's "main thread": every task once, in order, never two at a time, on a shared pool. */
class SerialExecutorTest {

  @Test
  void tasksFromManyThreadsRunOnceEachOneAtATimeInEachSubmittersOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SerialExecutor lane = new SerialExecutor(pool);
      int submitters = 4;
      int perSubmitter = 5_000;
      AtomicInteger running = new AtomicInteger();
      AtomicBoolean overlapped = new AtomicBoolean();
      List<int[]> ran = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < submitters; s++) {
        int submitter = s;
        threads.add(new Thread(() -> {
          for (int i = 0; i < perSubmitter; i++) {
            int n = i;
            lane.execute(() -> {
              if (running.incrementAndGet() != 1) {
                overlapped.set(true);
              }
              ran.add(new int[] {submitter, n});
              running.decrementAndGet();
              done.countDown();
            });
          }
        }));
      }
      threads.forEach(Thread::start);
      assertTrue(done.await(30, TimeUnit.SECONDS), "every task ran");
      assertFalse(overlapped.get(), "never two tasks at once");
      assertEquals(submitters * perSubmitter, ran.size(), "each task once");
      int[] next = new int[submitters];
      for (int[] r : ran) {
        assertEquals(next[r[0]]++, r[1], "submitter " + r[0] + "'s tasks in its order");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRefusedStartLeavesTheLaneUsable() throws Exception {
    AtomicBoolean refuse = new AtomicBoolean(true);
    ExecutorService real = Executors.newSingleThreadExecutor();
    try {
      SerialExecutor lane = new SerialExecutor(task -> {
        if (refuse.get()) {
          throw new RejectedExecutionException("shutting down");
        }
        real.execute(task);
      });
      AtomicInteger ran = new AtomicInteger();
      assertThrows(RejectedExecutionException.class, () -> lane.execute(ran::incrementAndGet));
      refuse.set(false);
      CountDownLatch after = new CountDownLatch(1);
      lane.execute(after::countDown);
      assertTrue(after.await(10, TimeUnit.SECONDS), "the lane drains again once the pool takes work");
      assertEquals(0, ran.get(), "the refused task never runs");
    } finally {
      real.shutdownNow();
    }
  }
}
