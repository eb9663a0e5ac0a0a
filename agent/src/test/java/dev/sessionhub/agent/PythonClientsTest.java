package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.session.HeadlessSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.python.util.PythonInterpreter;

/**
 * Pipelines that exist today, unchanged: the seed's Python 3 example run by python3's stock
 * {@code xmlrpc.client} against two headless sessions, the seed's Python 2.7 example run by Jython's own
 * {@code xmlrpclib}, and one session driving another with plain {@code xmlrpclib} inside a command.
 */
class PythonClientsTest {

  private static HeadlessSession sessionA;
  private static HeadlessSession sessionB;
  private static int portA;
  private static int portB;

  @BeforeAll
  static void startTwoSessions(@TempDir Path dir) throws Exception {
    int base = dev.sessionhub.agent.testing.FreePorts.range(10);
    sessionA = new HeadlessSession("headless", 60, 1000);
    sessionB = new HeadlessSession("headless", 60, 1000);
    portA = sessionA.start(new AgentOptions().setBasePort(base).setMaxPort(base + 9), dir.resolve("a.port")).port();
    portB = sessionB.start(new AgentOptions().setBasePort(base).setMaxPort(base + 9), dir.resolve("b.port")).port();
    assertEquals(String.valueOf(portA), Files.readString(dir.resolve("a.port")).trim());
  }

  @AfterAll
  static void stop() {
    sessionA.close();
    sessionB.close();
  }

  private static Path script(String name, Path dir) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = PythonClientsTest.class.getResourceAsStream("/python/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void theSeedsPython3ExampleWorksUnchangedAgainstTwoSessions(@TempDir Path dir) throws Exception {
    Process python = new ProcessBuilder("python3", script("seed_py3.py", dir).toString(),
        String.valueOf(portA), String.valueOf(portB)).redirectErrorStream(true).start();
    assertTrue(python.waitFor(60, TimeUnit.SECONDS), "python3 finished");
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, python.exitValue(), out);
    JsonObject summary = new JsonObject(out.substring(out.indexOf('{')));
    for (int port : new int[] {portA, portB}) {
      JsonObject session = summary.getJsonObject(String.valueOf(port));
      JsonObject data = session.getJsonObject("data");
      assertEquals("sessionhub-session", data.getString("exe"));
      assertEquals(port, data.getInteger("port"));
      assertEquals(new JsonArray().add("Camera").add("Light").add("Cube"), data.getJsonArray("scene_objects"));
      assertEquals("\nBlender data is: sessionhub-session\nScene Objects are: ['Camera', 'Light', 'Cube']\n\n",
          session.getString("output"));
      assertEquals("Camera,Light,Cube", session.getString("scene_objects"));
      assertEquals("Sphere\n", session.getString("added"));
      assertEquals("shot \uD83C\uDFAC ok\n", session.getString("emoji"));
      assertEquals(1, session.getJsonArray("fault").getInteger(0));
      assertTrue(session.getJsonArray("fault").getString(1).startsWith("ZeroDivisionError: "));
    }
  }

  @Test
  void theSeedsPython27ExampleWorksUnderJythonsXmlrpclib(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    try (PythonInterpreter python27 = new PythonInterpreter()) {
      python27.setOut(out);
      python27.set("port", portB);
      python27.execfile(script("seed_py27.py", dir).toString());
    }
    String printed = out.toString();
    assertTrue(printed.startsWith("['Camera', 'Light', 'Cube'"), printed);
    assertTrue(printed.contains("<type 'list'>"), printed);
    assertTrue(printed.contains(
        "RESULT: \"\\nBlender data is: sessionhub-session\\nScene Objects are: ['Camera', 'Light', 'Cube"), printed);
  }

  @Test
  void oneSessionDrivesAnotherWithPlainXmlrpclib() throws Exception {
    dev.sessionhub.shared.xmlrpc.XmlRpcCodec codec = dev.sessionhub.shared.xmlrpc.XmlRpcCodec.withDefaults();
    String code = "import xmlrpclib\n"
        + "other = xmlrpclib.ServerProxy('http://127.0.0.1:" + portB + "/', allow_none=True)\n"
        + "print(other.server_data()['port'])\n"
        + "print(other.command(\"print(scene.add('FromA', 'EMPTY'))\").strip())\n"
        + "print(other.scene_objects())\n";
    byte[] request = codec.encodeCall("command", java.util.List.of(code));
    dev.sessionhub.agent.testing.RawHttp.Response response =
        dev.sessionhub.agent.testing.RawHttp.post(portA, "/RPC2", request);
    dev.sessionhub.shared.xmlrpc.XmlRpcResponse reply = codec.decodeResponse(response.body());
    assertTrue(!reply.isFault(), () -> reply.fault().message());
    String[] lines = ((String) reply.value()).split("\n");
    assertEquals(String.valueOf(portB), lines[0]);
    assertTrue(lines[1].startsWith("FromA"), lines[1]);
    assertTrue(lines[2].contains(lines[1]), "B's scene now has A's object: " + lines[2]);
    dev.sessionhub.agent.testing.Poll.until(java.time.Duration.ofSeconds(5), "B publishes the new object",
        () -> sessionB.objectNames().contains(lines[1]));
  }
}
