package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.BlenderSession;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.PythonInterpreter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Blender add-on in a real {@code blender -b} (Debian's package), installed from the zip the jar builds as a
 * user installs it: a python3 pipeline runs bpy code that adds a mesh and gets its print back, the inventory shows
 * the object, the code ran on Blender's main thread (asserted inside Blender), a raising command is fault 1 with
 * its traceback, a command past its limit is -32002 and the next call is answered; the seed's Python 3 and 2.7
 * snippets run unchanged against it; and after quitting the port is free.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlenderAddonTest {

  private Path dir;
  private BlenderSession blender;
  private int base;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    BlenderSession.require();
    dir = tempDir;
    base = FreePorts.range(4);
    blender = BlenderSession.start(dir.resolve("blender"), base, base + 3, Map.of("SESSIONHUB_NAME", "layout"));
  }

  @AfterAll
  void stop() {
    if (blender != null) {
      blender.close();
    }
  }

  private Path resource(String name) throws IOException {
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      try (InputStream in = BlenderAddonTest.class.getResourceAsStream("/python/" + name)) {
        Files.copy(in, file);
      }
    }
    return file;
  }

  private static String run(ProcessBuilder builder) throws Exception {
    Process process = builder.redirectErrorStream(true).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the client finished");
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), out);
    return out;
  }

  @Test
  void aPython3PipelineRunsBpyOnBlendersMainThread() throws Exception {
    String out = run(PythonInterpreter.python3().require().builder(resource("blender_client.py").toString(),
        String.valueOf(blender.port())));
    JsonObject summary = new JsonObject(out.substring(out.indexOf('{')));
    JsonObject before = summary.getJsonObject("before");
    assertEquals("blender", before.getString("exe"));
    assertEquals("blender", before.getString("app"));
    assertEquals(blender.port(), before.getInteger("port"));
    assertEquals((int) blender.pid(), before.getInteger("pid"));
    assertTrue(before.getBoolean("main_thread"));
    assertTrue(before.getBoolean("headless"));
    assertEquals("layout", before.getJsonObject("tags").getString("name"));
    assertEquals(new JsonArray().add("Cube").add("Light").add("Camera"), before.getJsonArray("scene_objects"));
    for (String key : new String[] {"hostname", "app_version", "file_path", "exe", "scene_objects", "pid"}) {
      assertTrue(before.containsKey(key), "the original add-on's key " + key);
    }
    assertEquals("HeroSphere MESH 482\n", summary.getString("added"));
    assertEquals(new JsonArray().add("Cube").add("Light").add("Camera").add("HeroSphere"),
        summary.getJsonArray("after"));
    assertEquals("Cube,Light,Camera,HeroSphere", summary.getString("scene_objects"));
    assertEquals("True\n", summary.getString("main_thread"), "asserted from inside Blender");
    assertEquals(4, summary.getInteger("evaluate"));
    JsonArray raised = summary.getJsonArray("raised");
    assertEquals(1, raised.getInteger(0));
    assertTrue(raised.getString(1).startsWith("KeyError: "), raised.getString(1));
    assertTrue(raised.getString(1).contains("Traceback (most recent call last):"), raised.getString(1));
    assertTrue(raised.getString(1).contains("line 2, in <module>"), raised.getString(1));
    JsonArray timeout = summary.getJsonArray("timeout");
    assertEquals(-32002, timeout.getInteger(0));
    assertTrue(timeout.getString(1).contains("interrupted"), timeout.getString(1));
    assertEquals("still serving 4\n", summary.getString("next"));
  }

  @Test
  void theSeedsPython3SnippetRunsUnchanged() throws Exception {
    String out = run(PythonInterpreter.python3().require().builder(resource("seed_py3_verbatim.py").toString(),
        String.valueOf(blender.port())));
    assertTrue(out.startsWith("Scene Objects are: ['Cube', 'Light', 'Camera'"), out);
  }

  @Test
  void theSeedsPython27SnippetRunsUnchangedUnderCPython27() throws Exception {
    Path seed = resource("seed_py27.py");
    String out = run(PythonInterpreter.cpython27().require().builder("-c",
        "port = " + blender.port() + "\nexecfile('" + seed + "')"));
    assertTrue(out.startsWith("['Cube', 'Light', 'Camera'"), out);
    assertTrue(out.contains("<type 'list'>"), out);
    assertTrue(out.contains("RESULT: \"\\nBlender data is: blender\\nScene Objects are: ['Cube', 'Light', 'Camera'"),
        out);
  }

  @Test
  void quittingFreesThePort(@TempDir Path other) throws Exception {
    BlenderSession second = BlenderSession.start(other, base, base + 3, Map.of());
    int port = second.port();
    assertTrue(port != blender.port(), "the second Blender binds the next free port");
    assertEquals(0, second.quit(Duration.ofSeconds(30)), second.log());
    assertTrue(FreePorts.isFree(port), "port " + port + " is free after Blender quit");
    assertTrue(second.log().contains("Blender quit"), second.log());
  }
}
