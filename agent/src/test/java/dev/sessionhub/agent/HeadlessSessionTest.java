package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.session.HeadlessSession;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.RawHttp;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The headless session: commands run on its frame loop, and scene changes reach server_data via snapshots. */
class HeadlessSessionTest {

  private static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();
  private static HeadlessSession session;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    session = new HeadlessSession("headless", 120, 1000);
    port = session.start(new AgentOptions().setPort(FreePorts.one()), null).port();
  }

  @AfterAll
  static void stop() {
    session.close();
  }

  private static Object call(String method, Object... params) throws Exception {
    XmlRpcResponse r = CODEC.decodeResponse(RawHttp.post(port, "/RPC2", CODEC.encodeCall(method, List.of(params)))
        .body());
    if (r.isFault()) {
      throw new AssertionError(r.fault().message());
    }
    return r.value();
  }

  @Test
  void commandsRunOnTheMainLoopThreadNotTheServerThread() throws Exception {
    assertEquals("sessionhub-main\n",
        call("command", "from java.lang import Thread\nprint(Thread.currentThread().getName())"));
  }

  @Test
  void sceneChangesMadeByCommandsArePublishedToServerData() throws Exception {
    String name = ((String) call("command", "print(scene.add('Tree', 'MESH'))")).strip();
    Poll.until(Duration.ofSeconds(5), "server_data lists " + name, () -> {
      try {
        return ((String) call("scene_objects")).contains(name);
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals("True\n", call("command", "print(scene.remove('" + name + "'))"));
    Poll.until(Duration.ofSeconds(5), "server_data drops " + name, () -> {
      try {
        return !((String) call("scene_objects")).contains(name);
      } catch (Exception e) {
        return true;
      }
    });
    assertEquals("Cube.001\n", call("command", "print(scene.add('Cube'))\nscene.remove('Cube.001')"),
        "names are made unique as Blender does");
  }

  @Test
  void statusReportsFrameTimes() throws Exception {
    Poll.until(Duration.ofSeconds(5), "frames counted", () -> {
      try {
        return new JsonObject(RawHttp.get(port, "/status").text()).getLong("frames") > 10;
      } catch (Exception e) {
        return false;
      }
    });
    JsonObject status = new JsonObject(RawHttp.get(port, "/status").text());
    assertTrue(status.getLong("frame_p99_us") >= status.getLong("frame_p50_us"));
    assertEquals(Boolean.TRUE, status.getBoolean("headless"));
    assertEquals(Boolean.TRUE, status.getBoolean("main_thread"));
  }
}
