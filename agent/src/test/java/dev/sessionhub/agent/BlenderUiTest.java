package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.BlenderSession;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Blender add-on with Blender's UI (on Xvfb, Mesa's software renderer): commands run through the
 * {@code bpy.app.timers} timer on Blender's main thread, change the scene and return their print; a command past its
 * limit is interrupted and the next is answered; quitting Blender from its own event loop stops the agent and frees
 * the port.
 */
class BlenderUiTest {

  @Test
  void theTimerPathServesCommandsOnTheMainThreadAndQuittingFreesThePort(@TempDir Path dir) throws Exception {
    BlenderSession.require();
    BlenderSession.requireVirtualDisplay();
    int base = FreePorts.range(2);
    try (BlenderSession blender = BlenderSession.startWithUi(dir, base, base + 1, Map.of("SESSIONHUB_NAME", "ui"))) {
      XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
      config.setServerURL(new URL("http://127.0.0.1:" + blender.port() + "/"));
      config.setReplyTimeout(60_000);
      XmlRpcClient client = new XmlRpcClient();
      client.setConfig(config);
      Map<?, ?> data = (Map<?, ?>) client.execute("server_data", new Object[0]);
      assertEquals(Boolean.FALSE, data.get("headless"), "a UI session");
      assertEquals(Boolean.TRUE, data.get("main_thread"));
      assertEquals("Cube MESH True\n", client.execute("command", new Object[] {"import bpy, threading\n"
          + "bpy.ops.mesh.primitive_cube_add()\nobj = bpy.context.active_object\n"
          + "print(obj.name.split('.')[0], obj.type, threading.current_thread() is threading.main_thread())"}));
      assertEquals(List.of("Cube", "Light", "Camera", "Cube.001"),
          List.of((Object[]) ((Map<?, ?>) client.execute("server_data", new Object[0])).get("scene_objects")));
      XmlRpcException timeout = org.junit.jupiter.api.Assertions.assertThrows(XmlRpcException.class,
          () -> client.execute("command", new Object[] {"while True:\n    pass", 5.0}));
      assertEquals(-32002, timeout.code);
      assertTrue(timeout.getMessage().contains("interrupted"), timeout.getMessage());
      assertEquals("next\n", client.execute("command", new Object[] {"print('next')"}));
      assertEquals("", client.execute("command", new Object[] {"import bpy\n"
          + "bpy.app.timers.register(lambda: bpy.ops.wm.quit_blender(), first_interval=0.2)"}));
      assertEquals(0, blender.awaitExit(Duration.ofSeconds(60)), blender.log());
      assertTrue(blender.log().contains("sessionhub-agent: stopped"), "the add-on stopped on quit: " + blender.log());
      Poll.until(Duration.ofSeconds(5), "the port is free", () -> FreePorts.isFree(blender.port()));
      assertFalse(blender.isAlive());
    }
  }
}
