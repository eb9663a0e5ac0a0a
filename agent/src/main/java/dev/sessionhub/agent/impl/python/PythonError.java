package dev.sessionhub.agent.impl.python;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.python.core.Py;
import org.python.core.PyException;

/**
 * An exception raised by session code, in the form the wire contract gives it: a first line
 * {@code ExceptionType: message}, then the Python traceback, then whatever the code printed before it failed.
 */
public final class PythonError extends Exception {

  private final String headline;
  private final String traceback;
  private final String output;
  private final boolean aborted;

  private PythonError(String headline, String traceback, String output, boolean aborted) {
    super(headline, null, false, false);
    this.headline = headline;
    this.traceback = traceback;
    this.output = output;
    this.aborted = aborted;
  }

  static PythonError from(PyException e, String abortReason) {
    String headline;
    try {
      headline = PyText.toJava(Py.formatException(e.type, e.value)).strip();
    } catch (RuntimeException formatting) {
      headline = String.valueOf(e.type);
    }
    String traceback = "";
    if (e.traceback != null) {
      StringWriter text = new StringWriter();
      try (PrintWriter out = new PrintWriter(text)) {
        out.print(e.traceback.dumpStack());
      }
      String stack = text.toString();
      // Jython's dumpStack() starts with the header itself; add it only if a version does not.
      traceback = stack.startsWith("Traceback") ? stack : "Traceback (most recent call last):\n" + stack;
    }
    boolean aborted = abortReason != null && e.match(Py.KeyboardInterrupt);
    return new PythonError(headline, traceback, "", aborted);
  }

  PythonError withOutput(String printed) {
    return new PythonError(headline, traceback, printed, aborted);
  }

  /** True when the code was stopped by the agent (time limit), not by its own error. */
  public boolean aborted() {
    return aborted;
  }

  /** The fault string: headline, traceback, and the output printed before the error. */
  public String faultString() {
    StringBuilder s = new StringBuilder(headline);
    if (!traceback.isEmpty()) {
      s.append('\n').append(traceback.stripTrailing());
    }
    if (!output.isEmpty()) {
      s.append("\n--- output before the error ---\n").append(output);
    }
    return s.toString();
  }
}
