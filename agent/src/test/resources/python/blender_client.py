"""A python3 pipeline driving a Blender session with the stock xmlrpc.client: adds a mesh with bpy and reads its
print, reads the inventory, asks Blender whether commands run on its main thread, raises, runs past a time limit,
and calls again. Prints a JSON summary for the test."""
import json
import sys
import xmlrpc.client

proxy = xmlrpc.client.ServerProxy('http://127.0.0.1:%s/' % sys.argv[1], allow_none=True)
summary = {'before': proxy.server_data()}
summary['added'] = proxy.command(
    "import bpy\n"
    "bpy.ops.mesh.primitive_uv_sphere_add(radius=2.0, location=(0, 0, 3))\n"
    "obj = bpy.context.active_object\n"
    "obj.name = 'HeroSphere'\n"
    "print(obj.name, obj.type, len(obj.data.vertices))\n")
summary['after'] = proxy.server_data()['scene_objects']
summary['scene_objects'] = proxy.scene_objects()
summary['main_thread'] = proxy.command(
    "import threading\nprint(threading.current_thread() is threading.main_thread())")
summary['evaluate'] = proxy.evaluate("len(bpy.data.objects)")
for name, code, limit in (('raised', "import bpy\nbpy.data.objects['NoSuchObject']", None),
                          ('timeout', "while True:\n    pass", 1.0)):
    try:
        proxy.command(code, limit) if limit else proxy.command(code)
        summary[name] = None
    except xmlrpc.client.Fault as fault:
        summary[name] = [fault.faultCode, fault.faultString]
summary['next'] = proxy.command("print('still serving', len(bpy.data.objects))")
print(json.dumps(summary))
