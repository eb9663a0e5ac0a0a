#!/usr/bin/env python3
"""The baseline for broadcast: the seed's way to run a command in many sessions, one port after the other.

The seed (the Blender add-on's Python 3 example) sends a command with xmlrpc_command() below: a fresh
xmlrpc.client.ServerProxy per call and one command(string_cmd), nothing caught, no timeout. A broadcast with
it is a loop over the sessions' ports. This runs that loop sequentially over the ports given; the only
additions are measurement: a wall-clock bound (stop after --max-seconds and report how far it got), counting
the answers, and one JSON line at the end.

usage: seed_broadcast.py PORTS_FILE [--code "print('ok')"] [--host 127.0.0.1] [--max-seconds 120]
       (PORTS_FILE: one port a line, as `sessionhub sim --ready-file` writes it)
prints: {"ports_done": N, "ports_total": N, "answered": N, "seconds": S, "completed": bool, ...}
"""
import argparse
import json
import time
import xmlrpc.client as xmlrpclib


# send a command to the server (the seed's xmlrpc_command, unchanged but for the debug print)
def xmlrpc_command(string_cmd, host='localhost', port=8000, debug=False):
    proxy = xmlrpclib.ServerProxy(
        'http://'+host+':'+str(port)+'/',
        allow_none=True)
    com = proxy.command(string_cmd)
    if debug:
        print('on port', port, 'and host', host, 'Your command is: ' + com)
    return com


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ports_file")
    ap.add_argument("--code", default="print('ok')")
    # The seed's default host is 'localhost'; loopback is named so Python does not try ::1 first on every port
    # (the hub is given 127.0.0.1 too).
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--max-seconds", type=float, default=120.0)
    args = ap.parse_args()
    with open(args.ports_file) as f:
        ports = [int(line) for line in f if line.strip()]

    done = 0
    outputs = {}
    error = None
    start = time.perf_counter()
    deadline = start + args.max_seconds
    try:
        for port in ports:
            if time.perf_counter() >= deadline:
                break
            out = xmlrpc_command(args.code, host=args.host, port=port)
            outputs[out] = outputs.get(out, 0) + 1
            done += 1
    except Exception as e:  # the seed catches nothing here: the first failure ends its loop, so it ends ours
        error = "%s: %s" % (type(e).__name__, e)
    seconds = time.perf_counter() - start
    print(json.dumps({"ports_done": done, "ports_total": len(ports), "answered": done,
                      "seconds": round(seconds, 3), "completed": done == len(ports) and error is None,
                      "last_port": ports[done - 1] if done else None, "outputs": outputs, "error": error}))


if __name__ == "__main__":
    main()
