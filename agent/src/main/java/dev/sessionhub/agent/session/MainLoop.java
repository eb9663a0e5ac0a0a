package dev.sessionhub.agent.session;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The headless session's main thread: evaluates the scene once per frame at a fixed rate and runs queued
 * commands in the time between frames. Commands are the only way other threads reach the scene, so the server
 * never touches scene state and cannot slow a frame down except by the commands it hands over.
 */
public final class MainLoop implements Executor, Runnable {

  private final Scene scene;
  private final long frameNanos;
  private final int evaluationWork;
  /** 600 frames: the last 10 s at 60 fps, so a benchmark phase of 10 s reads only its own frames. */
  private final FrameStats stats = new FrameStats(600);
  private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private volatile Thread thread;

  public MainLoop(Scene scene, int fps, int evaluationWork) {
    if (fps < 1 || fps > 1000) {
      throw new IllegalArgumentException("fps must be 1-1000, got " + fps);
    }
    this.scene = scene;
    this.frameNanos = TimeUnit.SECONDS.toNanos(1) / fps;
    this.evaluationWork = evaluationWork;
  }

  @Override
  public void execute(Runnable command) {
    if (!running) {
      throw new RejectedExecutionException("session is stopping");
    }
    commands.add(command);
  }

  /** Runs frames until {@link #stop()}; call on the thread that is to be the session's main thread. */
  @Override
  public void run() {
    thread = Thread.currentThread();
    long frame = 0;
    long nextFrame = System.nanoTime();
    while (running) {
      long start = System.nanoTime();
      scene.evaluate(frame++, evaluationWork);
      stats.record(System.nanoTime() - start);
      scene.publish();
      nextFrame += frameNanos;
      if (nextFrame < System.nanoTime()) {
        nextFrame = System.nanoTime();
      }
      runCommandsUntil(nextFrame);
    }
    Runnable leftover;
    while ((leftover = commands.poll()) != null) {
      runSafely(leftover);
    }
  }

  private void runCommandsUntil(long deadline) {
    long wait;
    while (running && (wait = deadline - System.nanoTime()) > 0) {
      Runnable command;
      try {
        command = commands.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (command != null) {
        runSafely(command);
        scene.publish();
      }
    }
  }

  private static void runSafely(Runnable command) {
    try {
      command.run();
    } catch (RuntimeException e) {
      // A command's failure is reported to its caller by the task itself; the loop goes on.
    }
    Thread.interrupted();
  }

  /** Ends the loop after the current frame; queued commands still run. */
  public void stop() {
    running = false;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  public FrameStats stats() {
    return stats;
  }
}
