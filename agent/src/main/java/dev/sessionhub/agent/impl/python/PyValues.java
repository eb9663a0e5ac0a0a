package dev.sessionhub.agent.impl.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.python.core.Py;
import org.python.core.PyBoolean;
import org.python.core.PyDictionary;
import org.python.core.PyFloat;
import org.python.core.PyInteger;
import org.python.core.PyList;
import org.python.core.PyLong;
import org.python.core.PyNone;
import org.python.core.PyObject;
import org.python.core.PyString;
import org.python.core.PyStringMap;
import org.python.core.PyTuple;

/**
 * Python values to XML-RPC values for {@code evaluate(expr)}: numbers, text, booleans, None, lists, tuples and
 * dicts map to their XML-RPC forms; anything else is returned as its {@code repr}. Nesting is capped so a
 * self-referencing list cannot recurse forever.
 */
final class PyValues {

  private static final int MAX_DEPTH = 32;
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private PyValues() {
  }

  static Object toXmlRpc(PyObject value) {
    return convert(value, 0);
  }

  private static Object convert(PyObject value, int depth) {
    if (value == null || value instanceof PyNone) {
      return null;
    }
    if (depth > MAX_DEPTH) {
      return "<nested too deep>";
    }
    if (value instanceof PyBoolean b) {
      return b.getBooleanValue();
    }
    if (value instanceof PyInteger i) {
      return i.getValue();
    }
    if (value instanceof PyLong l) {
      BigInteger big = l.getValue();
      return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0 ? (Object) big.longValue() : big.toString();
    }
    if (value instanceof PyFloat f) {
      return f.getValue();
    }
    if (value instanceof PyString) {
      return PyText.toJava(value);
    }
    if (value instanceof PyList || value instanceof PyTuple) {
      List<Object> out = new ArrayList<>();
      for (PyObject item : value.asIterable()) {
        out.add(convert(item, depth + 1));
      }
      return out;
    }
    if (value instanceof PyDictionary || value instanceof PyStringMap) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (PyObject key : value.asIterable()) {
        out.put(PyText.toJava(key), convert(value.__getitem__(key), depth + 1));
      }
      return out;
    }
    return PyText.toJava(value.__repr__());
  }

  /** For callers that hold a Java object rather than a PyObject. */
  static Object toXmlRpc(Object value) {
    return value instanceof PyObject p ? toXmlRpc(p) : toXmlRpc(Py.java2py(value));
  }
}
