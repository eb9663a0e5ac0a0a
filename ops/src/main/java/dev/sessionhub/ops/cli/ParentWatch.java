package dev.sessionhub.ops.cli;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches one process (a program's parent, see {@link ParentOptions}) and runs an action once it has ended. A
 * cheap check (one read of /proc) on a daemon thread every {@link #INTERVAL}, rather than
 * {@link ProcessHandle#onExit()}, which for a process that is not our child polls with a growing sleep of up to 5 s.
 * {@link ProcessHandle} keeps the process's start time, so a reused pid never counts as the same process.
 */
final class ParentWatch {

  static final Duration INTERVAL = Duration.ofMillis(500);

  private ParentWatch() {
  }

  /** The program's way: once {@code parent} has ended, say so and exit as SIGTERM does (the shutdown hooks). */
  static void exitWith(ProcessHandle parent, String program) {
    start(parent, INTERVAL, () -> {
      System.err.println(program + ": process " + parent.pid() + " (its parent) has ended; stopping");
      System.exit(0);
    });
  }

  /** Runs {@code onEnded} once, on the watch thread, when {@code process} is no longer alive. */
  static void start(ProcessHandle process, Duration interval, Runnable onEnded) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "sessionhub-parent-watch-" + process.pid());
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(() -> {
      if (!process.isAlive()) {
        timer.shutdown();
        onEnded.run();
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }
}
