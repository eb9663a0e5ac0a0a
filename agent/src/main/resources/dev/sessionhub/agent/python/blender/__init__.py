"""SessionHub agent for Blender: an XML-RPC server (the SessionHub agent wire contract) in this Blender.

Install from Preferences > Add-ons > Install (this zip), enable it, and the session serves on the first free port
from 8000: server_data(), command(code) (run on Blender's main thread; returns what it printed), evaluate(expr),
scene_objects(). With a hub URL it announces itself. It stops, freeing its port, when disabled and when Blender
quits. Under `blender -b`, Blender's timers never run: a script keeps the session serving with

    blender -b scene.blend --python-expr "import sessionhub_blender; sessionhub_blender.serve_forever()"
"""
import atexit
import os

import bpy

from . import sessionhub_agent as agent_module

bl_info = {
    "name": "SessionHub agent",
    "author": "SessionHub",
    "version": (0, 1, 0),
    "blender": (2, 80, 0),
    "location": "Properties > World > Server Panel; Preferences > Add-ons > SessionHub agent",
    "description": "XML-RPC server for SessionHub and pipelines: commands run on Blender's main thread",
    "category": "System",
}

_state = {"agent": None, "error": "", "quit": False}


def _preferences():
    addon = bpy.context.preferences.addons.get(__name__)
    return addon.preferences if addon is not None else None


def _parse_tags(text):
    tags = {}
    for item in (text or "").split(","):
        key, equals, value = item.strip().partition("=")
        if equals and key.strip():
            tags[key.strip()] = value.strip()
    return tags


def _setting(prefs, name, variable):
    """The environment variable when set (a farm's launch script), else the add-on preference."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    return getattr(prefs, name) if prefs is not None else None


def _options(prefs):
    base_port = int(_setting(prefs, "base_port", "SESSIONHUB_BASE_PORT") or 8000)
    max_port = int(_setting(prefs, "max_port", "SESSIONHUB_MAX_PORT") or 8099)
    token_file = _setting(prefs, "token_file", "SESSIONHUB_TOKEN_FILE")
    return agent_module.Options(
        base_port=base_port, max_port=max(base_port, max_port),
        bind=_setting(prefs, "bind", "SESSIONHUB_BIND") or "127.0.0.1",
        token=agent_module.read_token(None, bpy.path.abspath(token_file) if token_file else None),
        name=_setting(prefs, "session_name", "SESSIONHUB_NAME") or None,
        tags=_parse_tags(_setting(prefs, "tags", "SESSIONHUB_TAGS")),
        hub_url=_setting(prefs, "hub_url", "SESSIONHUB_HUB") or None,
        command_timeout=float(os.environ.get("SESSIONHUB_COMMAND_TIMEOUT", "30")),
        port_file=os.environ.get("SESSIONHUB_PORT_FILE") or None)


def start_agent():
    """Starts the agent from the add-on's preferences (stopping a running one first)."""
    stop_agent()
    try:
        _state["agent"] = agent_module.Agent(agent_module.BlenderHost(), _options(_preferences())).start()
        _state["error"] = ""
    except Exception as e:  # a bad preference or no free port: shown in the panel, Blender carries on
        _state["error"] = str(e)
        print("SessionHub agent not started: %s" % e)
    return _state["agent"]


def stop_agent():
    """Deregisters from the hub and frees the port."""
    running = _state["agent"]
    _state["agent"] = None
    if running is not None:
        running.stop()


def agent():
    """The running agent, or None."""
    return _state["agent"]


def request_quit():
    """Ends serve_forever() after the current command (whose answer is still sent); Blender -b then quits."""
    _state["quit"] = True


def _parent_gone_check():
    """A callable that is true once the process named by SESSIONHUB_PARENT_PID (the script that started this
    session, e.g. ops/bin/farm) has ended or is a zombie; checked at most twice a second. Always false without it."""
    import os
    import time
    try:
        pid = int(os.environ.get("SESSIONHUB_PARENT_PID", "0") or 0)
    except ValueError:
        pid = 0
    if pid <= 0:
        return lambda: False
    last = {"at": 0.0, "gone": False}

    def gone():
        now = time.time()
        if last["gone"] or now - last["at"] < 0.5:
            return last["gone"]
        last["at"] = now
        try:
            os.kill(pid, 0)
            with open("/proc/%d/stat" % pid) as stat:
                last["gone"] = stat.read().rsplit(")", 1)[1].split()[0] == "Z"
        except (OSError, IOError, IndexError):
            last["gone"] = True
        return last["gone"]
    return gone


def serve_forever(should_stop=None):
    """Serves commands on the main thread until request_quit(), SIGTERM or SIGINT (for `blender -b`, where timers
    never run), or until the process named by SESSIONHUB_PARENT_PID ends; then stops the agent (deregistering,
    freeing the port) and returns, so Blender quits."""
    import signal
    parent_gone = _parent_gone_check()
    running = _state["agent"] or start_agent()
    if running is None:
        return
    _state["quit"] = False

    def quit_on_signal(signum, frame):
        _state["quit"] = True

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, quit_on_signal)
    try:
        running.serve_forever(should_stop=lambda: _state["quit"] or parent_gone()
                              or bool(should_stop and should_stop()))
    finally:
        stop_agent()


class SessionHubPreferences(bpy.types.AddonPreferences):
    bl_idname = __name__

    base_port: bpy.props.IntProperty(name="Base port", default=8000, min=1, max=65535,
                                     description="The first port tried; the agent binds the first free one")
    max_port: bpy.props.IntProperty(name="Max port", default=8099, min=1, max=65535)
    bind: bpy.props.StringProperty(name="Bind address", default="127.0.0.1",
                                   description="Anything but loopback needs a token file")
    token_file: bpy.props.StringProperty(name="Token file", subtype="FILE_PATH",
                                         description="A file (chmod 600) holding the token callers must present")
    hub_url: bpy.props.StringProperty(name="Hub URL", description="e.g. http://127.0.0.1:7700: announce to it")
    session_name: bpy.props.StringProperty(name="Name", description="The tag 'name' of this session")
    tags: bpy.props.StringProperty(name="Tags", description="k=v pairs separated by commas, e.g. show=abc,dept=fx")

    def draw(self, context):
        layout = self.layout
        row = layout.row()
        row.prop(self, "base_port")
        row.prop(self, "max_port")
        layout.prop(self, "bind")
        layout.prop(self, "token_file")
        layout.prop(self, "hub_url")
        layout.prop(self, "session_name")
        layout.prop(self, "tags")
        layout.label(text="SESSIONHUB_BASE_PORT, _MAX_PORT, _BIND, _TOKEN_FILE, _HUB, _NAME, _TAGS override these")
        layout.operator(SESSIONHUB_OT_restart.bl_idname)


class SESSIONHUB_OT_restart(bpy.types.Operator):
    """Restart the SessionHub agent with the current preferences"""
    bl_idname = "sessionhub.restart"
    bl_label = "Restart SessionHub agent"

    def execute(self, context):
        start_agent()
        return {"FINISHED"} if _state["agent"] is not None else {"CANCELLED"}


class SESSIONHUB_PT_server(bpy.types.Panel):
    """Where the original add-on had its Server Panel: port, hub, state, last command."""
    bl_label = "Server Panel"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "world"

    def draw(self, context):
        layout = self.layout
        running = _state["agent"]
        if running is None:
            layout.label(text="SessionHub agent: stopped" + (" (%s)" % _state["error"] if _state["error"] else ""))
        else:
            layout.label(text="SessionHub agent: serving %s" % running.url())
            layout.label(text="Hub: %s" % (running.options.hub_url or "none (found by scanning)"))
            layout.label(text="Session: %s" % running.session_id)
            layout.label(text="Commands run: %d, queued: %d" % (running.commands.completed, running.commands.depth()))
            layout.label(text="Last command: %s" % (running.last_command.splitlines() or [""])[0][:60])
        layout.operator(SESSIONHUB_OT_restart.bl_idname)


_CLASSES = (SessionHubPreferences, SESSIONHUB_OT_restart, SESSIONHUB_PT_server)


def register():
    for cls in _CLASSES:
        bpy.utils.register_class(cls)
    start_agent()


def unregister():
    stop_agent()
    for cls in reversed(_CLASSES):
        bpy.utils.unregister_class(cls)


atexit.register(stop_agent)
