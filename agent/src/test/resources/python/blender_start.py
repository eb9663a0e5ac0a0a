"""Run by `blender -b --factory-startup --python blender_start.py`: installs the SessionHub add-on zip the way a
user does (Preferences > Add-ons > Install, then enable), into the BLENDER_USER_SCRIPTS the test chose, and keeps
the session serving (under -b Blender's timers never run). SESSIONHUB_* variables carry the test's ports and hub."""
import os

import bpy

bpy.ops.preferences.addon_install(filepath=os.environ['SESSIONHUB_ADDON_ZIP'])
bpy.ops.preferences.addon_enable(module='sessionhub_blender')

import sessionhub_blender  # noqa: E402  (installed just now)

sessionhub_blender.serve_forever()
