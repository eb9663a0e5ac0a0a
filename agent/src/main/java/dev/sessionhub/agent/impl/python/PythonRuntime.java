package dev.sessionhub.agent.impl.python;

import java.util.Map;
import java.util.Properties;
import org.python.core.Py;
import org.python.core.PyObject;
import org.python.core.PyStringMap;
import org.python.core.PySystemState;
import org.python.util.PythonInterpreter;

/**
 * One Jython system state shared by the sessions of a JVM, and the factory of their namespaces.
 *
 * <p>Creating a {@link PySystemState} costs 60–100 ms and several megabytes, a namespace almost nothing; so a
 * JVM that hosts many sessions (the simulator) pays once. Output is captured per thread by a
 * {@link ThreadRoutedOutput} installed as {@code sys.stdout} and {@code sys.stderr}, so sessions running
 * commands at the same time on different threads never see each other's output.
 */
public final class PythonRuntime {

  private static final Object INIT_LOCK = new Object();
  private static volatile boolean initialized;

  private final PySystemState systemState;
  private final ThreadRoutedOutput output;
  private final CompiledCode compiled = new CompiledCode(256);

  private PythonRuntime(PySystemState systemState, ThreadRoutedOutput output) {
    this.systemState = systemState;
    this.output = output;
  }

  /** Initialises Jython if this JVM has not yet (≈1 s, once), then builds a fresh system state. Blocking. */
  public static PythonRuntime create(int maxOutputChars) {
    initializeJython();
    PySystemState state = new PySystemState();
    ThreadRoutedOutput output = new ThreadRoutedOutput(maxOutputChars);
    PyObject stream = Py.java2py(output);
    state.stdout = stream;
    state.stderr = stream;
    return new PythonRuntime(state, output);
  }

  private static void initializeJython() {
    if (initialized) {
      return;
    }
    synchronized (INIT_LOCK) {
      if (!initialized) {
        Properties props = new Properties();
        props.setProperty("python.import.site", "false");
        props.setProperty("python.cachedir.skip", "true");
        props.setProperty("python.console.encoding", "UTF-8");
        props.setProperty("python.io.encoding", "UTF-8");
        PythonInterpreter.initialize(System.getProperties(), props, new String[0]);
        initialized = true;
      }
    }
  }

  /** A new persistent namespace ({@code __name__ == '__main__'}) seeded with {@code globals}. */
  public PythonNamespace newNamespace(Map<String, Object> globals) {
    PyStringMap dict = new PyStringMap();
    dict.__setitem__("__name__", Py.newString("__main__"));
    globals.forEach((name, value) -> dict.__setitem__(name, Py.java2py(value)));
    return new PythonNamespace(new Python3StyleInterpreter(dict, systemState, compiled), output);
  }
}
