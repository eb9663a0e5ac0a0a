package dev.sessionhub.agent.impl.python;

import dev.sessionhub.shared.output.BoundedOutput;
import java.nio.charset.StandardCharsets;
import org.python.core.PyObject;

/**
 * The {@code sys.stdout}/{@code sys.stderr} of every session: writes go to the capture buffer of the thread that
 * is running a command, or to the process's own stdout when none is (threads user code started itself).
 *
 * <p>Python 2 {@code str} values are bytes; with UTF-8 source they hold UTF-8, so they are decoded as UTF-8 here,
 * which is what a terminal would show. Each command's output is a {@link BoundedOutput} (head and tail kept, the
 * middle counted), so a command printing in a loop cannot exhaust memory, and it can be read while it grows.
 */
public final class ThreadRoutedOutput {

  /** Python 2's {@code print} statement keeps its trailing-space state on the file object. */
  public int softspace;

  private final ThreadLocal<BoundedOutput> current = new ThreadLocal<>();

  ThreadRoutedOutput() {
  }

  /** Routes this thread's output into a new buffer until {@link #end()}. */
  void begin() {
    begin(new BoundedOutput());
  }

  /** Routes this thread's output into {@code into} (which others may be reading) until {@link #end()}. */
  void begin(BoundedOutput into) {
    current.set(into);
  }

  String end() {
    BoundedOutput capture = current.get();
    current.remove();
    return capture == null ? "" : capture.text();
  }

  /** Called by Python's {@code print} and {@code sys.stdout.write}. */
  public void write(PyObject text) {
    String s = PyText.toJava(text);
    BoundedOutput capture = current.get();
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
}
