package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.PythonAgentUnderTest;
import dev.sessionhub.agent.testing.PythonInterpreter;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines that exist today against the Python agent: the seed's Python 3 example run by python3's stock
 * {@code xmlrpc.client}, and the seed's Python 2.7 example run by real CPython 2.7's {@code xmlrpclib}, against
 * two Python agents, one under python3 and one under CPython 2.7.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonAgentClientsTest {

  private PythonInterpreter python3;
  private PythonInterpreter python27;
  private AgentUnderTest underPython3;
  private AgentUnderTest underPython27;

  @BeforeAll
  void start() throws Exception {
    python3 = PythonInterpreter.python3().require();
    python27 = PythonInterpreter.cpython27().require();
    int base = FreePorts.range(10);
    AgentOptions options = new AgentOptions().setBasePort(base).setMaxPort(base + 9);
    underPython3 = PythonAgentUnderTest.start(python3, options);
    underPython27 = PythonAgentUnderTest.start(python27, options);
    assertTrue(underPython27.port() > underPython3.port(), "the second agent binds the next free port");
  }

  @AfterAll
  void stop() {
    if (underPython3 != null) {
      underPython3.close();
    }
    if (underPython27 != null) {
      underPython27.close();
    }
  }

  private static Path script(String name, Path dir) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = PythonAgentClientsTest.class.getResourceAsStream("/python/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  private static String run(ProcessBuilder builder) throws Exception {
    Process process = builder.redirectErrorStream(true).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the client finished");
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), out);
    return out;
  }

  @Test
  void theSeedsPython3ExampleWorksUnchanged(@TempDir Path dir) throws Exception {
    String out = run(python3.builder(script("seed_py3.py", dir).toString(),
        String.valueOf(underPython3.port()), String.valueOf(underPython27.port())));
    JsonObject summary = new JsonObject(out.substring(out.indexOf('{')));
    for (AgentUnderTest agent : List.of(underPython3, underPython27)) {
      JsonObject session = summary.getJsonObject(String.valueOf(agent.port()));
      JsonObject data = session.getJsonObject("data");
      assertEquals("testapp-bin", data.getString("exe"));
      assertEquals(agent.port(), data.getInteger("port"));
      assertEquals(agent.sessionId(), data.getString("session_id"));
      assertEquals("\nBlender data is: testapp-bin\nScene Objects are: ['Cube', 'Camera']\n\n",
          session.getString("output"), agent.label());
      assertEquals("Cube,Camera", session.getString("scene_objects"));
      assertEquals("Sphere\n", session.getString("added"));
      assertEquals("shot \uD83C\uDFAC ok\n", session.getString("emoji"), agent.label());
      assertEquals(1, session.getJsonArray("fault").getInteger(0));
      assertTrue(session.getJsonArray("fault").getString(1).startsWith("ZeroDivisionError: "));
    }
  }

  @Test
  void theSeedsPython27ExampleWorksUnchangedUnderCPython27(@TempDir Path dir) throws Exception {
    Path seed = script("seed_py27.py", dir);
    for (AgentUnderTest agent : List.of(underPython3, underPython27)) {
      String out = run(python27.builder("-c", "port = " + agent.port() + "\nexecfile(" + "'"
          + seed.toString().replace("'", "\\'") + "')"));
      assertTrue(out.startsWith("['Cube', 'Camera']"), agent.label() + ": " + out);
      assertTrue(out.contains("<type 'list'>"), out);
      assertTrue(out.contains(
          "RESULT: \"\\nBlender data is: testapp-bin\\nScene Objects are: ['Cube', 'Camera']\\n\\n\""),
          agent.label() + ": " + out);
    }
  }
}
