package dev.sessionhub.hub.impl.jobs;

/**
 * Why {@link JobService} refused a request, as a closed set: each protocol maps a {@link Reason} to its own answer
 * in one place ({@code http/JobFailures}: an HTTP status and error key, an XML-RPC fault code).
 */
public final class JobRefusal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The reasons a job request is refused. */
  public enum Reason {
    /** No session at the address asked for. */
    UNKNOWN_SESSION,
    /** No job with the id asked for (never, or past its time to live). */
    UNKNOWN_JOB,
    /** The job has already ended; it cannot be cancelled. */
    JOB_ENDED
  }

  private final Reason reason;

  public JobRefusal(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
