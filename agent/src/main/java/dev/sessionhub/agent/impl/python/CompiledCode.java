package dev.sessionhub.agent.impl.python;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.python.core.PyCode;

/**
 * Compiled command code by source text, least recently used dropped past {@code capacity}. Compiled code holds
 * no namespace, so sessions sharing a runtime share it safely; a syntax error is never cached.
 */
final class CompiledCode {

  private final Map<String, PyCode> cache;

  CompiledCode(int capacity) {
    this.cache = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, PyCode> eldest) {
        return size() > capacity;
      }
    };
  }

  PyCode get(String source, Supplier<PyCode> compile) {
    synchronized (cache) {
      PyCode code = cache.get(source);
      if (code != null) {
        return code;
      }
    }
    PyCode code = compile.get();
    synchronized (cache) {
      cache.put(source, code);
    }
    return code;
  }
}
