package dev.sessionhub.agent.impl.python;

/**
 * A command could not run because the session's Python never became ready: its runtime or namespace failed to
 * start (the cause says why), or the command's time ran out while it was still starting.
 */
public final class PythonUnavailable extends Exception {

  private final boolean timedOut;

  PythonUnavailable(String message, boolean timedOut) {
    super(message, null, false, false);
    this.timedOut = timedOut;
  }

  /** True when the command's time limit ran out while it waited for the runtime. */
  public boolean timedOut() {
    return timedOut;
  }
}
