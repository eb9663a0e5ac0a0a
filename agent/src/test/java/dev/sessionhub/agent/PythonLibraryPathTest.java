package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.impl.command.AbortSignal;
import dev.sessionhub.agent.impl.python.PythonNamespace;
import dev.sessionhub.agent.impl.python.PythonRuntime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A session's Python reads its standard library through the class loader: the jar's own {@code Lib} entry on
 * {@code sys.path} becomes {@code __pyclasspath__/Lib}, so the first import never opens the jar as a zip (whose
 * directory of every class in the jar would be read into Python strings), and Java imports and the library's
 * modules still import.
 */
class PythonLibraryPathTest {

  private static String run(PythonNamespace namespace, String code) throws Exception {
    AbortSignal abort = new AbortSignal();
    try {
      return namespace.exec(code, abort).trim();
    } finally {
      abort.finished();
    }
  }

  @Test
  void theLibraryComesThroughTheClassLoaderAndNoZipImporterIsMade() throws Exception {
    PythonNamespace python = PythonRuntime.create().newNamespace(Map.of());
    String path = run(python, "import sys\nprint([p for p in sys.path if p.endswith('.jar/Lib')])");
    assertEquals("[]", path, "no sys.path entry opens a jar as a zip");
    assertTrue(run(python, "import sys\nprint(sys.path)").contains("'__pyclasspath__/Lib'"));

    assertEquals("True", run(python, "from java.lang import System\nprint(System.currentTimeMillis() > 0)"));
    assertEquals("__pyclasspath__/Lib/os$py.class", run(python, "import os\nprint(os.__file__)"));
    assertEquals("{\"a\": [1, 2]}", run(python, "import json\nprint(json.dumps({'a': [1, 2]}))"));

    String importers = run(python, "import sys\n"
        + "print(sorted(set(type(i).__name__ for i in sys.path_importer_cache.values() if i is not None)))");
    assertFalse(importers.contains("zipimporter"), importers);
  }
}
