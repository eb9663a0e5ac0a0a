package dev.sessionhub.agent.impl.command;

import java.util.function.Consumer;

/**
 * Lets the agent stop one command that is running on the session's main thread.
 *
 * <p>The running code registers how it can be stopped ({@link #whileRunning}); the queue fires the signal when
 * the command's time is up. Firing before registration stops the code as soon as it registers; firing after
 * {@link #finished()} does nothing, so a late timer can never stop the next command.
 */
public final class AbortSignal {

  private Consumer<String> stopper;
  private String reason;
  private boolean finished;

  /** Registers how to stop the running code; runs it at once if the signal already fired. */
  public synchronized void whileRunning(Consumer<String> stop) {
    if (finished) {
      return;
    }
    this.stopper = stop;
    if (reason != null) {
      stop.accept(reason);
    }
  }

  /** The code has returned; later firing has no effect. */
  public synchronized void finished() {
    finished = true;
    stopper = null;
  }

  /** Stops the code if it is running, with {@code why} as the reason it will see. */
  public synchronized void fire(String why) {
    if (reason != null || finished) {
      return;
    }
    reason = why;
    if (stopper != null) {
      stopper.accept(why);
    }
  }

  /** Why the signal fired, or null. */
  public synchronized String reason() {
    return reason;
  }
}
