package dev.sessionhub.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A dedicated, named thread for a session's commands, for Java applications that have no main loop of their own
 * to hand to {@link SessionHost#mainThread()}. Tasks run one at a time in submission order.
 */
public final class SessionThread implements java.util.concurrent.Executor, AutoCloseable {

  private final ExecutorService executor;

  public SessionThread(String name) {
    this.executor = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "sessionhub-session-" + name);
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  /** Stops taking tasks; a running command is interrupted. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
