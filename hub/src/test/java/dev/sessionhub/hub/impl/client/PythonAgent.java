package dev.sessionhub.hub.impl.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Python 3 {@code SimpleXMLRPCServer(allow_none=True)} in a child process, on a port the OS chooses: the
 * HTTP/1.0 server the Blender add-on is built on. Its {@code server_data()} answers a struct with a {@code None}
 * (sent as {@code <nil/>}) and an int beyond 32 bits. Python's own marshaller refuses such ints, so the script
 * teaches it {@code <i8>}, as other servers (Apache with extensions, xmlrpc-c) send them.
 */
final class PythonAgent implements AutoCloseable {

  private static final String SCRIPT = String.join("\n",
      "import os, sys, xmlrpc.client",
      "from xmlrpc.server import SimpleXMLRPCServer",
      "def dump_int(self, value, write):",
      "    if -2**31 <= value < 2**31:",
      "        write('<value><int>%d</int></value>\\n' % value)",
      "    else:",
      "        write('<value><i8>%d</i8></value>\\n' % value)",
      "xmlrpc.client.Marshaller.dispatch[int] = dump_int",
      "server = SimpleXMLRPCServer(('127.0.0.1', 0), allow_none=True, logRequests=False)",
      "def server_data():",
      "    return {'exe': 'blender', 'app_version': '4.2.0', 'file_path': None, 'big': 2**40,",
      "            'pid': os.getpid(), 'scene_objects': ['Cube', 'Light']}",
      "server.register_function(server_data)",
      "server.register_function(lambda code: 'echo:' + code, 'command')",
      "print(server.server_address[1], flush=True)",
      "server.serve_forever()",
      "");

  private final Process process;
  private final int port;

  private PythonAgent(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static PythonAgent start() throws Exception {
    Process process = new ProcessBuilder("python3", "-c", SCRIPT).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = firstLine.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
    if (line == null || !line.matches("\\d+")) {
      process.destroyForcibly();
      throw new IllegalStateException("python server did not report a port: " + line);
    }
    return new PythonAgent(process, Integer.parseInt(line));
  }

  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
