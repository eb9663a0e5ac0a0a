package dev.sessionhub.shared.scan;

/**
 * A scan target, port list or host:port that cannot be parsed. {@link #getMessage()} is the user-facing text
 * (what is wrong, the bad part quoted, the whole input quoted); {@link #part()} is the bad part alone, so a UI can
 * highlight it.
 */
public final class TargetSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String part;

  public TargetSyntaxException(String message, String part) {
    super(message);
    this.part = part;
  }

  /** The bad part of the input, as quoted in the message ({@code ""} when the input is empty). */
  public String part() {
    return part;
  }
}
