package dev.sessionhub.agent.impl.python;

import org.python.core.Py;
import org.python.core.PyException;
import org.python.core.PyFrame;
import org.python.core.PyObject;
import org.python.core.TraceFunction;

/** A trace function that raises {@code KeyboardInterrupt} at the next line, call or return of the code it traces. */
final class AbortingTrace extends TraceFunction {

  private final String reason;

  AbortingTrace(String reason) {
    this.reason = reason;
  }

  private PyException abort() {
    return Py.KeyboardInterrupt(reason);
  }

  @Override
  public TraceFunction traceCall(PyFrame frame) {
    throw abort();
  }

  @Override
  public TraceFunction traceReturn(PyFrame frame, PyObject ret) {
    return this;
  }

  @Override
  public TraceFunction traceLine(PyFrame frame, int line) {
    throw abort();
  }

  @Override
  public TraceFunction traceException(PyFrame frame, PyException exc) {
    return this;
  }
}
