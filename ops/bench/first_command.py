#!/usr/bin/env python3
"""Driver of first-command-bench.sh: starts N `sessionhub session` processes at once, and for each measures the
time from launch to its port accepting connections, the latency of one server_data() sent as soon as it is
(as discovery would), the latency of its first command sent DELAY seconds after the port was bound, of its
tenth command, and its RSS (VmRSS) right after the first command. Command k is `print(k)`: every command is
new source, so each is compiled (the agent caches compiled code by source text).

usage: first_command.py LAUNCHER N DELAY LABEL [ENV=VALUE ...]    prints one JSON line per session
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import xmlrpc.client


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def wait_bound(port, proc, deadline):
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("session exited with %s before binding" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return time.monotonic()
        except OSError:
            time.sleep(0.005)
    raise RuntimeError("port %d not bound in time" % port)


def timed_command(proxy, k):
    start = time.monotonic()
    out = proxy.command("print(%d)" % k)
    elapsed = time.monotonic() - start
    if out != "%d\n" % k:
        raise RuntimeError("unexpected output %r" % out)
    return elapsed


def status(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/status" % port, timeout=10) as r:
        return json.load(r)


def one_session(launcher, delay, env, result, log_dir):
    port = free_port()
    log = open(os.path.join(log_dir, "session-%d.log" % port), "w")
    launched = time.monotonic()
    proc = subprocess.Popen([launcher, "session", "--base-port", str(port), "--max-port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    result["proc"] = proc
    try:
        bound = wait_bound(port, proc, launched + 60)
        result["bind_ms"] = (bound - launched) * 1000
        proxy = xmlrpc.client.ServerProxy("http://127.0.0.1:%d/" % port, allow_none=True)
        start = time.monotonic()
        proxy.server_data()
        result["server_data_ms"] = (time.monotonic() - start) * 1000
        time.sleep(max(0.0, bound + delay - time.monotonic()))
        result["first_ms"] = timed_command(proxy, 1) * 1000
        result["rss_mb"] = rss_kb(proc.pid) / 1024.0
        for k in range(2, 10):
            timed_command(proxy, k)
        result["tenth_ms"] = timed_command(proxy, 10) * 1000
        result["python_ready_ms"] = status(port).get("python_ready_ms", -1)
    except Exception as e:  # reported, not raised: the other sessions' figures still count
        result["error"] = str(e)


def main():
    launcher, n, delay, label = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    env = dict(os.environ)
    for pair in sys.argv[5:]:
        k, v = pair.split("=", 1)
        env[k] = v
    log_dir = tempfile.mkdtemp(prefix="first-command-")
    results = [{} for _ in range(n)]
    threads = [threading.Thread(target=one_session, args=(launcher, delay, env, r, log_dir)) for r in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        proc = r.pop("proc", None)
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        r["label"] = label
        print(json.dumps(r))


if __name__ == "__main__":
    main()
