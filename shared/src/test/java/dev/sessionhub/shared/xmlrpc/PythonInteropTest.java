package dev.sessionhub.shared.xmlrpc;

import static dev.sessionhub.shared.xmlrpc.Fixtures.CODEC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Interoperability with the real Python {@code xmlrpc.client}, in both directions. */
class PythonInteropTest {
  private static final byte[] NONE = new byte[0];

  /** Reads an XML-RPC document from stdin with xmlrpc.client.loads and prints repr of it. */
  private static final String LOADS = String.join("\n",
      "import sys, xmlrpc.client as x",
      "data = sys.stdin.buffer.read()",
      "try:",
      "    params, method = x.loads(data, use_builtin_types=True)",
      "    sys.stdout.write(repr((method, params)))",
      "except x.Fault as f:",
      "    sys.stdout.write(repr(('FAULT', f.faultCode, f.faultString)))");

  @Test
  void decodesPythonCall() throws Exception {
    String body = PythonRunner.run("import xmlrpc.client as x; import sys; "
        + "sys.stdout.write(x.dumps((1, 'a', None, True, 2.5, [1,2], {'k': 'v'}), 'server_data',"
        + " allow_none=True))", NONE);
    MethodCall call = CODEC.decodeCall(body.getBytes(StandardCharsets.UTF_8));
    assertEquals("server_data", call.methodName());
    assertEquals(Arrays.asList(1, "a", null, true, 2.5, List.of(1, 2), Map.of("k", "v")), call.params());
  }

  @Test
  void decodesPythonResponsesAndFaults() throws Exception {
    String script = String.join("\n",
        "import sys, datetime, xmlrpc.client as x",
        "v = {'s': 'Ωmega 東京 🎬 <&> a\\r\\nb\\tc', 'f': float('inf'), 'n': float('nan'),",
        "     'b': b'\\x00\\xff', 't': datetime.datetime(1998, 7, 17, 14, 8, 55), 'neg': -2**31,",
        "     'nested': [[{'x': [None]}]], 'empty': ''}",
        "sys.stdout.write(x.dumps((v,), methodresponse=True, allow_none=True))",
        "sys.stdout.write('\\0')",
        "sys.stdout.write(x.dumps(x.Fault(42, 'Boom: <bad> & \"worse\"'), methodresponse=True))");
    String[] out = PythonRunner.run(script, NONE).split("\0");
    XmlRpcResponse ok = CODEC.decodeResponse(out[0].getBytes(StandardCharsets.UTF_8));
    Map<?, ?> v = (Map<?, ?>) ok.value();
    assertEquals("Ωmega 東京 🎬 <&> a\nb\tc", v.get("s"), "Python writes a raw CR, which XML turns into LF");
    assertEquals(Double.POSITIVE_INFINITY, v.get("f"));
    assertTrue(Double.isNaN((Double) v.get("n")));
    assertArrayEquals(new byte[] {0, -1}, (byte[]) v.get("b"));
    assertEquals(LocalDateTime.of(1998, 7, 17, 14, 8, 55), v.get("t"));
    assertEquals(Integer.MIN_VALUE, v.get("neg"));
    assertEquals(List.of(List.of(Map.of("x", Arrays.asList((Object) null)))), v.get("nested"));
    assertEquals("", v.get("empty"));
    XmlRpcResponse fault = CODEC.decodeResponse(out[1].getBytes(StandardCharsets.UTF_8));
    assertEquals(new XmlRpcFault(42, "Boom: <bad> & \"worse\""), fault.fault());
  }

  @Test
  void pythonReadsOurResponse() throws Exception {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("s", "Ωmega 東京 🎬 <&> a\r\nb\tc");
    v.put("i", 7);
    v.put("big", 1L << 40);
    v.put("d", 2.5);
    v.put("inf", Double.NEGATIVE_INFINITY);
    v.put("t", true);
    v.put("none", null);
    v.put("bytes", new byte[] {0, -1});
    v.put("when", LocalDateTime.of(1998, 7, 17, 14, 8, 55));
    v.put("list", List.of(1, List.of("x")));
    v.put("bad", "a\u0000b");
    String repr = PythonRunner.run(LOADS, CODEC.encodeResponse(v));
    assertEquals("(None, ({'s': 'Ωmega 東京 🎬 <&> a\\r\\nb\\tc', 'i': 7, 'big': 1099511627776,"
        + " 'd': 2.5, 'inf': -inf, 't': True, 'none': None, 'bytes': b'\\x00\\xff',"
        + " 'when': datetime.datetime(1998, 7, 17, 14, 8, 55), 'list': [1, ['x']],"
        + " 'bad': 'a\uFFFDb'},))", repr);
  }

  @Test
  void pythonReadsOurCall() throws Exception {
    byte[] call = CODEC.encodeCall("session.run", Arrays.asList("print(1)", null, 3.0, List.of()));
    assertEquals("('session.run', ('print(1)', None, 3.0, []))", PythonRunner.run(LOADS, call));
  }

  @Test
  void pythonReadsOurFault() throws Exception {
    byte[] fault = CODEC.encodeFault(FaultCode.COMMAND_TIMEOUT, "timed out <after> 5s & \"more\"");
    assertEquals("('FAULT', -32002, 'timed out <after> 5s & \"more\"')", PythonRunner.run(LOADS, fault));
  }
}
