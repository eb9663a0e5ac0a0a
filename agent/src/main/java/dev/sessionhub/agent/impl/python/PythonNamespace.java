package dev.sessionhub.agent.impl.python;

import dev.sessionhub.agent.impl.command.AbortSignal;
import dev.sessionhub.shared.output.BoundedOutput;
import org.python.core.Py;
import org.python.core.PyException;
import org.python.core.PyFrame;
import org.python.core.PyObject;
import org.python.core.ThreadState;

/**
 * One session's persistent Python namespace. Every method runs on the calling thread, which must be the
 * session's main thread; the agent never calls it from a server thread.
 *
 * <p>While code runs, the {@link AbortSignal} can stop it: firing installs {@link AbortingTrace} on every frame
 * of the running thread, so the next line it executes raises {@code KeyboardInterrupt}, and interrupts the
 * thread to wake it from {@code time.sleep} or blocking I/O. A command that loops forever is thus ended rather
 * than left holding the main thread.
 */
public final class PythonNamespace {

  private final Python3StyleInterpreter interpreter;
  private final ThreadRoutedOutput output;

  PythonNamespace(Python3StyleInterpreter interpreter, ThreadRoutedOutput output) {
    this.interpreter = interpreter;
    this.output = output;
  }

  /** Runs {@code code} as statements and returns everything it printed (bounded: see {@link BoundedOutput}). */
  public String exec(String code, AbortSignal abort) throws PythonError {
    return exec(code, abort, new BoundedOutput());
  }

  /** Runs {@code code} as statements, printing into {@code into} as it runs; returns its whole text. */
  public String exec(String code, AbortSignal abort, BoundedOutput into) throws PythonError {
    output.begin(into);
    try {
      runAbortable(abort, () -> {
        interpreter.execCached(code);
        return null;
      });
    } catch (PythonError e) {
      throw e.withOutput(output.end());
    }
    return output.end();
  }

  /** Evaluates {@code expression} and returns its value as an XML-RPC value (see {@link PyValues}). */
  public Object eval(String expression, AbortSignal abort) throws PythonError {
    output.begin();
    try {
      PyObject value = runAbortable(abort, () -> interpreter.evalWithFlags(expression));
      return PyValues.toXmlRpc(value);
    } finally {
      output.end();
    }
  }

  /** Runs set-up code (no time limit, output discarded); on the main thread, like every command. */
  public void run(String code) {
    output.begin();
    try {
      interpreter.exec(code);
    } finally {
      output.end();
    }
  }

  /** Binds {@code name} in the namespace (e.g. the {@code hub} client once it is known). */
  public void set(String name, Object value) {
    interpreter.set(name, value);
  }

  private interface PythonCall<T> {
    T run();
  }

  private static <T> T runAbortable(AbortSignal abort, PythonCall<T> call) throws PythonError {
    Thread thread = Thread.currentThread();
    ThreadState state = Py.getThreadState();
    abort.whileRunning(reason -> stop(thread, state, reason));
    try {
      return call.run();
    } catch (PyException e) {
      throw PythonError.from(e, abort.reason());
    } finally {
      abort.finished();
      state.tracefunc = null;
      Thread.interrupted();
    }
  }

  private static void stop(Thread thread, ThreadState state, String reason) {
    AbortingTrace trace = new AbortingTrace(reason);
    state.tracefunc = trace;
    for (PyFrame frame = state.frame; frame != null; frame = frame.f_back) {
      frame.tracefunc = trace;
    }
    thread.interrupt();
  }
}
