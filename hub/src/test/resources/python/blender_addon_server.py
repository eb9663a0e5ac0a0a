# A foreign session: answers like the Blender XML-RPC add-on does (SimpleXMLRPCServer, HTTP/1.0, one request
# at a time, the add-on's six server_data keys, exe 'blender', command() returning the code it was given).
import os
import socket
import sys
from xmlrpc.server import SimpleXMLRPCServer

port = int(sys.argv[1])
server = SimpleXMLRPCServer(("127.0.0.1", port), allow_none=True, logRequests=False)


def server_data():
    return {"hostname": socket.gethostname(), "app_version": "2.83.5", "file_path": "/shows/abc/sh010.blend",
            "exe": "blender", "scene_objects": ["Camera", "Cube", "Light"], "pid": os.getpid()}


def command(code):
    exec(code, {})
    return code


server.register_function(server_data)
server.register_function(command)
print("listening", port, flush=True)
server.serve_forever()
