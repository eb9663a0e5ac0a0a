#!/usr/bin/env python3
"""The baseline: a session built the way the Blender add-on builds it.

A SimpleXMLRPCServer (HTTP/1.0, one request at a time) runs in a separate thread of the session process, next
to the application's main loop, which evaluates a scene every frame. server_data() answers the add-on's six keys;
command(code) exec()s the code (the add-on ran it on the server thread; so does this). frame_stats() reports
frame evaluation time percentiles over the last WINDOW frames, the same window the Java session uses.

usage: seed_session.py PORT [--fps 60] [--work N]
"""
import math
import os
import socket
import sys
import threading
import time
from xmlrpc.server import SimpleXMLRPCServer, SimpleXMLRPCRequestHandler

WINDOW = 600


class Scene:
    def __init__(self):
        self.objects = {"Camera": (0.0, 0.0, 0.0), "Light": (0.0, 0.0, 0.0), "Cube": (0.0, 0.0, 0.0)}
        self.checksum = 0.0

    def evaluate(self, frame, work):
        t = frame / 60.0
        for i, name in enumerate(list(self.objects)):
            x, y, z = self.objects[name]
            self.objects[name] = (x * 0.5 + math.sin(t + i) * 0.5, y * 0.5 + math.cos(t + i) * 0.5, z)
        acc = self.checksum
        for k in range(work):
            acc = acc * 0.999999 + math.sqrt(k + acc * acc + 1.0)
        self.checksum = acc % 1000000.0


class Frames:
    def __init__(self):
        self.ring = [0] * WINDOW
        self.count = 0
        self.lock = threading.Lock()

    def record(self, nanos):
        with self.lock:
            self.ring[self.count % WINDOW] = nanos
            self.count += 1

    def stats(self):
        with self.lock:
            n = min(self.count, WINDOW)
            values = sorted(self.ring[:n])
            count = self.count
        def pct(p):
            return values[max(0, min(n - 1, int(math.ceil(p * n)) - 1))] // 1000 if n else 0
        return {"frames": count, "frame_p50_us": pct(0.50), "frame_p99_us": pct(0.99),
                "frame_max_us": values[-1] // 1000 if n else 0}


class Handler(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/", "/RPC2")

    def log_message(self, *args):
        pass


def exit_with_parent():
    """Ends this process once the script that started it has gone, even killed with -9 (ops/bin/lib/children.sh):
    a check of the parent pid every half second on a daemon thread, off the main loop."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    exit_with_parent()
    port = int(sys.argv[1])
    fps = int(sys.argv[sys.argv.index("--fps") + 1]) if "--fps" in sys.argv else 60
    work = int(sys.argv[sys.argv.index("--work") + 1]) if "--work" in sys.argv else 12000
    scene = Scene()
    frames = Frames()
    server = SimpleXMLRPCServer(("127.0.0.1", port), requestHandler=Handler, allow_none=True, logRequests=False)

    def server_data():
        return {"hostname": socket.gethostname(), "app_version": "2.83", "file_path": "",
                "exe": "blender", "scene_objects": list(scene.objects), "pid": os.getpid()}

    namespace = {"scene": scene}

    def command(code):
        exec(code, namespace)
        return code

    server.register_function(server_data)
    server.register_function(command)
    server.register_function(frames.stats, "frame_stats")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("seed session listening on %d" % port, flush=True)

    frame_seconds = 1.0 / fps
    next_frame = time.monotonic()
    frame = 0
    while True:
        start = time.perf_counter_ns()
        scene.evaluate(frame, work)
        frames.record(time.perf_counter_ns() - start)
        frame += 1
        next_frame += frame_seconds
        delay = next_frame - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            next_frame = time.monotonic()


if __name__ == "__main__":
    main()
