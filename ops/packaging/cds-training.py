"""The training run that `mvn package` records the hub's and the sim's class-data-sharing archives from.

usage: cds-training.py LAUNCHER HUB_ARCHIVE SIM_ARCHIVE

A sim of 4 sessions and a hub scanning it, each started through the launcher with SESSIONHUB_CDS_DUMP (the JVM
writes the classes it loaded when it exits): the hub discovers the sessions, then serves what a young farm asks of
it first: broadcasts, routed commands (XML-RPC and REST), a job read, the inventory, the cluster, metrics and
health; both then stop on SIGTERM, which writes the archives. Ports are chosen at run time, on loopback only;
nothing is left behind. Exit 0 when both archives were written. Standard library only.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client

DEADLINE_S = 120


def free_range(n):
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n > 65000:
            continue
        ok = True
        for port in range(base, base + n):
            with socket.socket() as t:
                try:
                    t.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise SystemExit("no free port range")


def wait_for(what, check):
    end = time.time() + DEADLINE_S
    while time.time() < end:
        try:
            if check():
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise SystemExit("cds training: timed out waiting for " + what)


def call(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as answer:
        raw = answer.read()
    return json.loads(raw) if raw[:1] in (b"{", b"[") else raw


def train(launcher, hub_archive, sim_archive, work):
    # one run of free ports for all, so no two choices can meet: sessions, the hub's HTTP, Hazelcast
    base = free_range(12)
    http = base + 8
    hz = base + 9
    env = dict(os.environ, SESSIONHUB_PARENT_PID=str(os.getpid()))
    sim_log = open(os.path.join(work, "sim.log"), "wb")
    hub_log = open(os.path.join(work, "hub.log"), "wb")
    sim_ready = os.path.join(work, "sim.ready")
    hub_ready = os.path.join(work, "hub.ready")
    sim = subprocess.Popen([launcher, "sim", "--agents", "4", "--base-port", str(base), "--max-port",
                            str(base + 7), "--ready-file", sim_ready],
                           env=dict(env, SESSIONHUB_CDS_DUMP=sim_archive), stdout=sim_log,
                           stderr=subprocess.STDOUT)
    hub = subprocess.Popen([launcher, "hub", "--http-port", str(http), "--hz-port", str(hz), "--cluster",
                            "cds-training-%d" % http, "--scan", "127.0.0.1:%d-%d" % (base, base + 7),
                            "--scan-interval", "1s", "--rate-limit", "0", "--audit-log",
                            os.path.join(work, "audit.jsonl"), "--ready-file", hub_ready],
                           env=dict(env, SESSIONHUB_CDS_DUMP=hub_archive), stdout=hub_log,
                           stderr=subprocess.STDOUT)
    programs = [hub, sim]
    try:
        wait_for("the hub", lambda: os.path.getsize(hub_ready) > 0)
        url = "http://127.0.0.1:%d" % http
        wait_for("4 sessions listed", lambda: len(call(url + "/api/sessions?selector=*")["sessions"]) == 4)
        address = call(url + "/api/sessions?selector=*")["sessions"][0]["address"]
        hub_rpc = xmlrpc.client.ServerProxy(url + "/RPC2", allow_none=True)
        for i in range(3):
            job = call(url + "/api/broadcast", {"selector": "*", "code": "print(%d)" % i, "wait": True,
                                                "timeout": 60})
            call(url + "/api/jobs/" + job["id"])
            hub_rpc.hub.command(address, "print(%d)" % i)
            call(url + "/api/sessions/%s/command" % address, {"code": "print(%d)" % i})
        hub_rpc.hub.broadcast("*", "print('rpc')")
        for path in ("/api/cluster", "/metrics", "/health/ready", "/health/live", "/"):
            call(url + path)
    finally:
        for p in programs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in programs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
    return all(os.path.exists(a) and os.path.getsize(a) > 0 for a in (hub_archive, sim_archive))


def tail(path, lines=15):
    try:
        with open(path, "rb") as f:
            return b"".join(f.readlines()[-lines:]).decode("utf-8", "replace")
    except OSError as e:
        return str(e)


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    launcher, hub_archive, sim_archive = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="sessionhub-cds-") as work:
        try:
            ok = train(launcher, hub_archive, sim_archive, work)
            why = "an archive is missing or empty"
        except (OSError, ValueError, KeyError, xmlrpc.client.Error, SystemExit) as e:
            ok, why = False, repr(e)
        if not ok:
            sys.stderr.write("cds training failed: %s\n--- hub log\n%s--- sim log\n%s" % (
                why, tail(os.path.join(work, "hub.log")), tail(os.path.join(work, "sim.log"))))
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
