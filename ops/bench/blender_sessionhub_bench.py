"""blender-bench.sh's SessionHub side: installs the add-on zip as a user does, then runs the same main loop as the
baseline with the add-on's queue served once per frame (what its bpy.app.timers timer does with a UI).
Run: SESSIONHUB_ADDON_ZIP=zip SESSIONHUB_BASE_PORT=P SESSIONHUB_MAX_PORT=P blender -b --factory-startup --python
blender_sessionhub_bench.py"""
import os
import sys

import bpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blender_bench_loop  # noqa: E402

bpy.ops.preferences.addon_install(filepath=os.environ['SESSIONHUB_ADDON_ZIP'])
bpy.ops.preferences.addon_enable(module='sessionhub_blender')
import sessionhub_blender  # noqa: E402

agent = sessionhub_blender.agent()
agent.runner.namespace['frame_stats'] = blender_bench_loop.stats
print('listening', flush=True)
blender_bench_loop.run(hook=lambda: agent.process_pending(0))
