"""The original Blender XML-RPC add-on's design, as the seed describes it, for blender-bench.sh's baseline: Python's
stock SimpleXMLRPCServer (HTTP/1.0, one request at a time, listen backlog 5) on a thread beside Blender's main
loop, server_data() read from bpy on that thread, command(code) exec'd on that thread and answered with the code
text. Run: BENCH_PORT=P blender -b --factory-startup --python blender_original_addon.py"""
import os
import socket
import sys
import threading
from xmlrpc.server import SimpleXMLRPCServer

import bpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blender_bench_loop  # noqa: E402

server = SimpleXMLRPCServer(('localhost', int(os.environ['BENCH_PORT'])), allow_none=True, logRequests=False)


def server_data():
    return {'hostname': socket.gethostname(), 'app_version': bpy.app.version_string, 'file_path': bpy.data.filepath,
            'exe': os.path.basename(bpy.app.binary_path), 'scene_objects': [o.name for o in bpy.data.objects],
            'pid': os.getpid()}


def command(code):
    exec(code)
    return code


server.register_function(server_data)
server.register_function(command)
server.register_function(blender_bench_loop.stats, 'frame_stats')
threading.Thread(target=server.serve_forever, daemon=True).start()
print('listening', flush=True)
blender_bench_loop.run()
