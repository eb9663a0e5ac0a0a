package dev.sessionhub.ops.cli;

/** A failure to tell the user in one line, with the exit code the launcher returns. */
public final class CliException extends RuntimeException {

  /** Exit codes: 1 some target failed, 2 bad usage/input, 3 the hub could not be reached or refused us. */
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int UNREACHABLE = 3;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
