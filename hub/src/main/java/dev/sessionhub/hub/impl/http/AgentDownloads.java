package dev.sessionhub.hub.impl.http;

import dev.sessionhub.agent.python.PythonAgentFiles;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The files that connect an application session to SessionHub, at stable URLs on the hub's port, no token needed
 * (they are the agent's own code, with nothing of the hub's in them): {@code GET /downloads/sessionhub_agent.py},
 * the Python agent for Maya, Houdini, Nuke or any Python program, and {@code GET /downloads/sessionhub_blender.zip},
 * the Blender add-on to install from Preferences > Add-ons. Built once from the agent module's resources.
 */
final class AgentDownloads {

  static final String PREFIX = "/downloads/";

  private final Buffer agentModule = Buffer.buffer(PythonAgentFiles.agentModule());
  private final Buffer blenderAddon = Buffer.buffer(PythonAgentFiles.blenderAddonZip());

  void mount(Router router) {
    router.get(PREFIX + PythonAgentFiles.AGENT_MODULE).handler(ctx -> send(ctx, agentModule,
        "text/x-python; charset=utf-8", PythonAgentFiles.AGENT_MODULE));
    router.get(PREFIX + PythonAgentFiles.BLENDER_ADDON_ZIP).handler(ctx -> send(ctx, blenderAddon,
        "application/zip", PythonAgentFiles.BLENDER_ADDON_ZIP));
  }

  private static void send(RoutingContext ctx, Buffer body, String type, String name) {
    ctx.response().putHeader("Content-Type", type)
        .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .putHeader("Cache-Control", "no-cache")
        .end(body);
  }
}
