package dev.sessionhub.agent.impl.python;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.python.core.CompileMode;
import org.python.core.CompilerFlags;
import org.python.core.Py;
import org.python.core.PyCode;
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

  /**
   * What {@link #warmUp(int)} compiles and runs: the kinds of statement commands are made of (print with the
   * Python 3 function, formatting, loops, comprehensions, functions, classes, exceptions, built-in modules), so
   * the parser, the compiler and the runtime paths they use are loaded and reach the JIT. Also a Java import and
   * {@code os}, which pipeline commands use most: with the library read through the class loader
   * ({@link PythonLibraryPath}) they cost a few megabytes, not the 35 MB of the jar's zip index
   * (ops/BENCHMARKS.md, "Young sessions").
   */
  private static final List<String> WARM_UP_CODE = List.of(
      "print(1)",
      "print('warm', 2, sep='-', end='\\n')",
      "x = [i * 2 for i in range(40) if i % 3]\nprint(len(x), sum(x), x[-1])",
      "def f(a, b=2, *args, **kw):\n    return '%s:%d' % (a, b) + '{0}'.format(len(args))\nprint(f('a', 3, 4))",
      "d = {'a': 1, 'b': [1.5, None, True]}\nfor k, v in sorted(d.items()):\n    print(k, repr(v), str(v))",
      "import sys, time\nprint(sys.version_info[0], sys.maxint > 0, time.time() > 0)",
      "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print(type(e).__name__, e)",
      "class C(object):\n    n = 0\n    def inc(self):\n        C.n += 1\n        return self\nprint(C().inc().n)",
      "s = u'caf\\u00e9 ' * 3\nprint(s.strip().upper(), s.split()[0], ','.join(['a', 'b']))",
      "from java.lang import System\nprint(System.currentTimeMillis() > 0)",
      "import os\nprint(os.path.join('a', 'b'), os.getcwd() != '')");

  private static final AtomicInteger CREATED = new AtomicInteger();
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
  public static PythonRuntime create() {
    initializeJython();
    CREATED.incrementAndGet();
    PySystemState state = new PySystemState();
    PythonLibraryPath.useClassLoaderFor(state);
    ThreadRoutedOutput output = new ThreadRoutedOutput();
    PyObject stream = Py.java2py(output);
    state.stdout = stream;
    state.stderr = stream;
    return new PythonRuntime(state, output);
  }

  /** How many runtimes this JVM has made so far (a simulator's agents share one; tests count them). */
  public static int createdInThisJvm() {
    return CREATED.get();
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

  /**
   * Compiles and runs {@link #WARM_UP_CODE} {@code rounds} times in a scratch namespace, output discarded, on the
   * calling thread: each round's sources differ by a comment, so every round runs the compiler again and its
   * hot paths reach the JIT. Commands compiled later are not affected (the scratch code is never cached).
   */
  public void warmUp(int rounds) {
    CompilerFlags flags = Python3StyleInterpreter.python3Style(new CompilerFlags());
    PySystemState previous = Py.setSystemState(systemState);
    output.begin();
    try {
      for (int round = 0; round < rounds; round++) {
        for (String code : WARM_UP_CODE) {
          PyStringMap scratch = new PyStringMap();
          scratch.__setitem__("__name__", Py.newString("__warmup__"));
          PyCode compiledCode = Py.compile_flags(code + "\n# " + round, "<warm-up>", CompileMode.exec, flags);
          Py.runCode(compiledCode, scratch, scratch);
        }
      }
    } finally {
      output.end();
      Py.setSystemState(previous);
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
