package dev.sessionhub.hub.client;

import static dev.sessionhub.hub.client.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against Python's own HTTP/1.0 {@code SimpleXMLRPCServer(allow_none=True)}, what the Blender add-on
 * runs: Content-Length bodies are accepted, and {@code <nil/>} and {@code <i8>} answers are read.
 */
class PythonAgentTest {

  private static Vertx vertx;
  private static PythonAgent python;
  private static ApacheAgentClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    python = PythonAgent.start();
    client = new ApacheAgentClient(vertx, new AgentClientOptions().setPollTimeout(Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    python.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void serverDataWithNoneAndABigInt() throws Exception {
    Map<String, Object> data = result(client.serverData(python.url()));
    assertEquals("blender", data.get("exe"));
    assertTrue(data.containsKey("file_path"));
    assertNull(data.get("file_path"));
    assertEquals(1L << 40, data.get("big"));
    assertEquals((int) python.pid(), data.get("pid"));
    assertArrayEquals(new Object[] {"Cube", "Light"}, (Object[]) data.get("scene_objects"));
  }

  @Test
  void manyCallsInARowToAnHttp10ServerAllSucceed() throws Exception {
    for (int i = 0; i < 30; i++) {
      assertEquals("echo:print(" + i + ")",
          result(client.call(python.url(), "command", List.of("print(" + i + ")"), Duration.ofSeconds(10))));
    }
  }
}
