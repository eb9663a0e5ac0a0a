package dev.sessionhub.hub.jobs;

/** How one target of a job ended. Every target ends in exactly one of these; none is silently dropped. */
public enum TargetState {
  /** The command ran; the result carries its output. */
  OK,
  /** The session answered with a fault (the code raised, or refused the call); code and text are kept. */
  ERROR,
  /** No answer within the job's per-target timeout. */
  TIMEOUT,
  /** The session could not be reached (gone, refused, or its owning hub died mid-job). */
  UNREACHABLE;

  public String wire() {
    return name().toLowerCase();
  }

  public static TargetState fromWire(String s) {
    return valueOf(s.toUpperCase());
  }
}
