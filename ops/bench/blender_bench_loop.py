"""The main loop both Blender sessions of blender-bench.sh run on Blender's main thread (under `blender -b` there
is no frame loop of Blender's own): 60 frames a second, each reading every object's transform WORK times (about a
millisecond of bpy work here), then the session's hook (the SessionHub add-on runs its queued commands there; the
original add-on has none: its server thread executes on its own). The time of each frame's work and hook is kept
for the last 600 frames; stats() gives p50/p99 in microseconds."""
import os
import time

import bpy

WORK = int(os.environ.get('BENCH_WORK', '300'))
_frames = []


def frame_work():
    total = 0.0
    objects = list(bpy.data.objects)
    for _ in range(WORK):
        for obj in objects:
            total += obj.matrix_world[0][3]
    return total


def stats():
    times = sorted(_frames[-600:])
    if not times:
        return {'frame_p50_us': 0, 'frame_p99_us': 0, 'frames': 0}
    return {'frame_p50_us': int(times[len(times) // 2] * 1e6),
            'frame_p99_us': int(times[min(len(times) - 1, int(len(times) * 0.99))] * 1e6), 'frames': len(times)}


def run(hook=None, fps=60.0, should_stop=lambda: False):
    period = 1.0 / fps
    next_frame = time.perf_counter()
    while not should_stop():
        start = time.perf_counter()
        frame_work()
        if hook is not None:
            hook()
        _frames.append(time.perf_counter() - start)
        if len(_frames) > 1200:
            del _frames[:600]
        next_frame += period
        delay = next_frame - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        else:
            next_frame = time.perf_counter()
