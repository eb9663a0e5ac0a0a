package dev.sessionhub.agent.impl.metrics;

/**
 * What {@code GET /health/live} and {@code /health/ready} answer. Live: the process serves HTTP. Ready: the port
 * is bound and the Python runtime is usable (Jython is on the class path and, once the session's namespace was
 * created, creating it did not fail). They need no token: they say nothing but ok or not ready and why.
 */
public final class AgentHealth {

  private volatile boolean bound;
  private volatile String pythonProblem;

  /**
   * Checks that the Python runtime's classes are there. Loads a class from the (large) Jython jar the first time:
   * call it off the event loop.
   */
  public void checkRuntime() {
    try {
      Class.forName("org.python.util.PythonInterpreter", false, AgentHealth.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      pythonProblem = "the Python runtime (Jython) is not on the class path";
    }
  }

  /** The agent's port is bound and serving. */
  public void bound() {
    bound = true;
  }

  /** Creating the session's Python namespace failed: not ready until it succeeds. */
  public void pythonFailed(Throwable cause) {
    pythonProblem = "the Python runtime failed to start: " + cause.getClass().getSimpleName();
  }

  /** The session's Python namespace exists: the runtime is usable. */
  public void pythonStarted() {
    pythonProblem = null;
  }

  private volatile java.util.function.Supplier<String> pythonState = () -> null;

  /** Where the session's Python runtime says why it is not usable (null when it is, or not known yet). */
  public void pythonFrom(java.util.function.Supplier<String> problem) {
    pythonState = problem;
  }

  /** Null when ready, else why not. */
  public String notReadyReason() {
    if (!bound) {
      return "port not bound yet";
    }
    return pythonProblem != null ? pythonProblem : pythonState.get();
  }
}
