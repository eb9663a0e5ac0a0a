package dev.sessionhub.ops.cli;

/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (so scripts and logs stay clean).
 * Redraws at most ten times a second.
 */
final class Progress {

  private final String label;
  private final long total;
  private final boolean terminal;
  private long lastDraw;

  Progress(String label, long total) {
    this(label, total, System.console() != null);
  }

  private Progress(String label, long total, boolean terminal) {
    this.label = label;
    this.total = Math.max(total, 1);
    this.terminal = terminal;
  }

  /** A bar that never draws: for output that goes to the terminal line by line. */
  static Progress none() {
    return new Progress("", 1, false);
  }

  synchronized void update(long done) {
    long now = System.nanoTime();
    if (!terminal || now - lastDraw < 100_000_000L && done < total) {
      return;
    }
    lastDraw = now;
    int width = 30;
    int filled = (int) (width * Math.min(done, total) / total);
    System.err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
    System.err.flush();
  }

  synchronized void done() {
    if (terminal) {
      System.err.print("\r" + " ".repeat(label.length() + 60) + "\r");
      System.err.flush();
    }
  }
}
