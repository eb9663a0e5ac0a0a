package dev.sessionhub.agent.impl.python;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import org.python.core.PyList;
import org.python.core.PyObject;
import org.python.core.PyString;
import org.python.core.PySystemState;

/**
 * Where a session's Python finds its standard library: through the class loader, not by opening the jar as a zip.
 *
 * <p>Jython puts {@code <its jar>/Lib} on {@code sys.path}; the first import that walks {@code sys.path} (a Java
 * import such as {@code from java.lang import System}, or {@code import os}) then builds a zip importer for that
 * jar, which reads the jar's whole directory into Python strings. SessionHub ships one shaded jar of about 45,000
 * entries, so that first import cost about 0.6 s and 35 MB of heap although the library is 1,400 of them. The
 * same files are reached by name through {@code __pyclasspath__/Lib} (Jython's class-path importer, one resource
 * lookup per candidate), which is what this entry becomes. Other {@code sys.path} entries are left as they are.
 */
final class PythonLibraryPath {

  private static final String CLASS_PATH_LIBRARY = "__pyclasspath__/Lib";

  private PythonLibraryPath() {}

  /** Replaces the entry for Jython's own jar in {@code state.path}, if there is one. */
  static void useClassLoaderFor(PySystemState state) {
    String jarLibrary = jythonJarLibrary();
    if (jarLibrary == null) {
      return;
    }
    PyList path = state.path;
    for (int i = 0; i < path.size(); i++) {
      PyObject entry = path.__getitem__(i);
      if (entry instanceof PyString && jarLibrary.equals(Path.of(entry.toString()).toString())) {
        path.__setitem__(i, new PyString(CLASS_PATH_LIBRARY));
      }
    }
  }

  /** {@code <jar>/Lib} for the jar that holds Jython, or null when Jython is not loaded from a jar. */
  private static String jythonJarLibrary() {
    CodeSource source = PySystemState.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      Path jar = Path.of(source.getLocation().toURI());
      return jar.toString().endsWith(".jar") ? jar.resolve("Lib").toString() : null;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
