package dev.sessionhub.agent.impl.python;

import org.python.core.CodeFlag;
import org.python.core.CompileMode;
import org.python.core.CompilerFlags;
import org.python.core.Py;
import org.python.core.PyObject;
import org.python.core.PySystemState;
import org.python.util.PythonInterpreter;

/**
 * A Jython interpreter that compiles command strings the way Python 3 pipelines write them.
 *
 * <p>Jython is Python 2.7: unmodified, {@code print("a", 1)} prints a tuple, {@code 7/2 == 3}, and characters
 * beyond Latin-1 in the source become {@code ?}. Turning on the {@code print_function} and {@code division}
 * future flags and UTF-8 source for every compilation fixes all three while keeping 2.7 code that uses
 * {@code print(x)} working.
 */
final class Python3StyleInterpreter extends PythonInterpreter {

  private final CompiledCode compiled;

  Python3StyleInterpreter(PyObject globals, PySystemState state, CompiledCode compiled) {
    super(globals, state);
    this.compiled = compiled;
    python3Style(cflags);
  }

  /** Sets {@code flags} to compile as every command is compiled; returns them. */
  static CompilerFlags python3Style(CompilerFlags flags) {
    flags.source_is_utf8 = true;
    flags.encoding = "utf-8";
    flags.setFlag(CodeFlag.CO_FUTURE_PRINT_FUNCTION);
    flags.setFlag(CodeFlag.CO_FUTURE_DIVISION);
    return flags;
  }

  /**
   * Runs statements, compiling each distinct source once per runtime: a broadcast runs the same code in every
   * session, and Jython compiles Python to JVM classes, which is far dearer than running them.
   */
  void execCached(String code) {
    setSystemState();
    exec(compiled.get(code, () -> Py.compile_flags(code, "<command>", CompileMode.exec, cflags)));
  }

  /** Evaluates an expression compiled with this interpreter's flags ({@code eval(String)} ignores them). */
  PyObject evalWithFlags(String expression) {
    setSystemState();
    return eval(Py.compile_flags(expression, "<expr>", CompileMode.eval, cflags));
  }
}
