"""Run by `blender --factory-startup --python blender_start_ui.py` (with a UI, on a virtual display in the tests):
installs and enables the SessionHub add-on as a user does; Blender's own event loop then serves commands through
a bpy.app.timers timer."""
import os

import bpy

bpy.ops.preferences.addon_install(filepath=os.environ['SESSIONHUB_ADDON_ZIP'])
bpy.ops.preferences.addon_enable(module='sessionhub_blender')
