package dev.sessionhub.hub.impl.jobs;

/** How one target of a job ended. Every target ends in exactly one of these; none is silently dropped. */
public enum TargetState {
  /** The command ran; the result carries its output. */
  OK,
  /** The session answered with a fault (the code raised, or refused the call); code and text are kept. */
  ERROR,
  /** No answer within the job's per-target timeout. */
  TIMEOUT,
  /** The command was not run: the session could not be reached, or its hub could not or must not send it. */
  UNREACHABLE,
  /**
   * Nobody can say how the command ended: it may have been in flight on a hub that left the cluster, or its
   * result is not readable from here (a network split, a coordinator that died). Never claims it did not run.
   */
  UNKNOWN,
  /** The job was cancelled: the command never ran (not yet sent, or removed from the agent's queue) or was
   * interrupted while it ran. */
  CANCELLED,
  /** A rolling job stopped on failures before this target's wave: never sent. */
  SKIPPED;

  public String wire() {
    return name().toLowerCase();
  }

  public static TargetState fromWire(String s) {
    return valueOf(s.toUpperCase());
  }
}
