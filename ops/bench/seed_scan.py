#!/usr/bin/env python3
"""The baseline for discovery: the Blender add-on's documented way to find sessions.

The add-on's README (Python 3 "use case") defines server_data() below and probes ports one after the other:
a fresh xmlrpc.client.ServerProxy per port, one server_data() call, socket.error (ConnectionRefusedError is a
subclass) meaning "nobody there". No timeout, no parallelism: exactly the seed's logic, run sequentially over
range(start, end). The only additions are measurement: a wall-clock bound (stop after --max-seconds and report
how far it got), counting what was found, and one JSON line at the end.

usage: seed_scan.py START END [--host 127.0.0.1 | --hosts A,B,...] [--max-seconds 60]   (END exclusive, as range())
prints: {"ports_scanned": N, "ports_total": N, "sessions_found": N, "seconds": S, "completed": bool, ...}

With --hosts the same loop runs over each host in turn (the seed has no notion of several hosts; a farm script
would loop like this). The bound is kept even while one connect hangs (a host that drops SYNs holds a connect for
the kernel's ~127 s): the loop runs in a daemon thread and the report says which address it was stuck on.
"""
import argparse
import json
import socket
import threading
import time
import xmlrpc.client as xmlrpclib


# get server data function (the add-on README's, unchanged but for the debug prints)
def server_data(host='localhost', port=8000, app='', debug=False):
    if debug:
        print('Scanning port:', port)
    try:
        proxy = xmlrpclib.ServerProxy(
            'http://'+host+':'+str(port)+'/', allow_none=True)
        data = proxy.server_data()
        if debug:
            print('   ', port, data)
        if app in data['exe']:
            return data
    except(socket.error):
        if debug:
            print('Couldnt connect with the socket-server: %s\n' % port)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("start", type=int)
    ap.add_argument("end", type=int, help="exclusive, as range()")
    # The README's default host is 'localhost'; the benchmark names loopback explicitly so Python does not try
    # ::1 first on every port (that would double the seed's cost, and the Java scanner gets 127.0.0.1 too).
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--hosts", help="comma-separated hosts, scanned one after the other (overrides --host)")
    ap.add_argument("--max-seconds", type=float, default=60.0)
    ap.add_argument("--token-file", help="agents with a token: the host becomes any:TOKEN@host, which ServerProxy "
                                         "sends as Basic auth (the README's way); the seed's function is unchanged")
    args = ap.parse_args()
    hosts = args.hosts.split(",") if args.hosts else [args.host]
    if args.token_file:
        token = open(args.token_file).read().strip()
        hosts = ["any:%s@%s" % (token, h) for h in hosts]

    state = {"found": 0, "scanned": 0, "error": None, "current": None, "done": False}

    def loop():
        try:
            for host in hosts:
                for port in range(args.start, args.end):
                    if time.perf_counter() >= deadline:
                        return
                    state["current"] = "%s:%d" % (host.split("@")[-1], port)
                    if server_data(host=host, port=port) is not None:
                        state["found"] += 1
                    state["scanned"] += 1
        except Exception as e:  # the seed catches only socket.error; anything else ends its loop, so it ends ours
            state["error"] = "%s: %s" % (type(e).__name__, e)
        finally:
            state["done"] = True

    start = time.perf_counter()
    deadline = start + args.max_seconds
    worker = threading.Thread(target=loop, daemon=True)
    worker.start()
    worker.join(args.max_seconds)
    seconds = time.perf_counter() - start
    total = max(0, args.end - args.start) * len(hosts)
    scanned = state["scanned"]
    print(json.dumps({"ports_scanned": scanned, "ports_total": total, "sessions_found": state["found"],
                      "seconds": round(seconds, 3), "completed": scanned == total and state["error"] is None,
                      "last_port": args.start + (scanned - 1) % max(1, args.end - args.start) if scanned else None,
                      "stuck_on": None if state["done"] else state["current"], "error": state["error"]}),
          flush=True)


if __name__ == "__main__":
    main()
