package dev.sessionhub.agent.impl.python;

import java.nio.charset.StandardCharsets;
import org.python.core.PyObject;

/**
 * The {@code sys.stdout}/{@code sys.stderr} of every session: writes go to the capture buffer of the thread that
 * is running a command, or to the process's own stdout when none is (threads user code started itself).
 *
 * <p>Python 2 {@code str} values are bytes; with UTF-8 source they hold UTF-8, so they are decoded as UTF-8 here,
 * which is what a terminal would show. A buffer holds at most {@code maxChars}; the rest is counted and reported
 * as truncated, so a command printing in a loop cannot exhaust memory.
 */
public final class ThreadRoutedOutput {

  /** Python 2's {@code print} statement keeps its trailing-space state on the file object. */
  public int softspace;

  private final ThreadLocal<Capture> current = new ThreadLocal<>();
  private final int maxChars;

  ThreadRoutedOutput(int maxChars) {
    this.maxChars = maxChars;
  }

  void begin() {
    current.set(new Capture(maxChars));
  }

  String end() {
    Capture capture = current.get();
    current.remove();
    return capture == null ? "" : capture.text();
  }

  /** Called by Python's {@code print} and {@code sys.stdout.write}. */
  public void write(PyObject text) {
    String s = PyText.toJava(text);
    Capture capture = current.get();
    if (capture != null) {
      capture.append(s);
    } else {
      System.out.print(s);
    }
  }

  public void writelines(PyObject lines) {
    for (PyObject line : lines.asIterable()) {
      write(line);
    }
  }

  public void flush() {
    // Captured output is returned as a whole; nothing to flush.
  }

  public boolean isatty() {
    return false;
  }

  public String getEncoding() {
    return StandardCharsets.UTF_8.name();
  }

  private static final class Capture {
    private final StringBuilder text = new StringBuilder();
    private final int max;
    private long dropped;

    Capture(int max) {
      this.max = max;
    }

    void append(String s) {
      int room = max - text.length();
      if (s.length() <= room) {
        text.append(s);
      } else {
        text.append(s, 0, Math.max(room, 0));
        dropped += s.length() - Math.max(room, 0);
      }
    }

    String text() {
      return dropped == 0 ? text.toString()
          : text + "\n[output truncated: " + dropped + " more characters]\n";
    }
  }
}
