#!/usr/bin/env python3
"""Driver of young-farm-bench.sh: one young farm, started at once, measured from its first second; prints one JSON
line (the record) on stdout and progress on stderr.

  cluster  two `sessionhub hub` processes in one Hazelcast cluster on loopback (each --member the other, both
           scanning one free range), SESSIONS `sessionhub session` processes (each on its own port of the range,
           announcing to hub 1 or 2 in turn) and one `sessionhub sim --agents SIMS` (scanned, not announcing), all
           launched within a few milliseconds. Measures: each hub's launch -> ready file; each session's launch ->
           port bound (connect every 5 ms); the sim's launch -> ready file (every agent listening); launch -> each
           hub's GET /api/sessions counting all SIMS + SESSIONS, and -> both. Then, SETTLE s later, the first
           broadcast POST /api/broadcast {"selector": "*", "code": "print(1)", "wait": true} through hub 1 (client
           wall time; every target's duration_ms, the slowest reported); WARM more broadcasts of print('ok'),
           the median wall time; the seed loop (seed_broadcast.py, print('ok'), a fresh ServerProxy per port,
           sequential) over the same ports, SEED_RUNS runs, the median; VmRSS of every session JVM at the end.
  farm     what ops/bin/farm does, with headless Java sessions only and the hub and sessions launched together:
           a hub scanning a free 100-port range and SESSIONS sessions on that range (--app headless --name shotN
           --tag show=demo --tag farm=ID, announcing to the hub); as soon as the hub lists all of them, farm's own
           broadcast (its code read from ops/bin/farm) through `sessionhub broadcast SELECTOR CODE --timeout 30s
           --json`, each session's duration_ms; then the same broadcast again (warm), for comparison.

A result not ok, a count short of what was started, a process that exits early: reported in the record's
"errors" (the bench fails on them), never hidden.

usage: young_farm.py cluster LAUNCHER LABEL [--sims 200] [--sessions 4] [--warm 20] [--seed-runs 3]
                     [--settle 10] [--scan-interval 5s] [--log-dir DIR] [ENV=VALUE ...]
       young_farm.py farm LAUNCHER LABEL [--sessions 3] [--log-dir DIR] [ENV=VALUE ...]
  ENV=VALUE sets a variable for every program started; ENV= (empty) removes it (this build's defaults).
"""
import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
POLL = 0.005          # connect / ready-file polling, as first_command.py
LIST_POLL = 0.1       # GET /api/sessions polling
START_LIMIT = 180     # seconds for everything to start and be listed


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def free_range(span):
    """The first base in 8000, 8500, ... whose SPAN ports all bind on 127.0.0.1, below the ephemeral range."""
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    def free(port):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False
        finally:
            s.close()
    for base in range(8000, low - span + 1, 500):
        if all(free(p) for p in range(base, base + span)):
            return base
    raise RuntimeError("no free %d-port range on 127.0.0.1 below the ephemeral ports" % span)


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    return None


def get_json(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.load(r)


def post_json(url, body, timeout):
    u = urllib.request.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        t0 = time.perf_counter()
        conn.request("POST", u.path, json.dumps(body), {"Content-Type": "application/json"})
        resp = conn.getresponse()
        raw = resp.read()
        wall = (time.perf_counter() - t0) * 1000
    finally:
        conn.close()
    if resp.status != 200:
        raise RuntimeError("POST %s answered %d: %s" % (url, resp.status, raw[:300]))
    return json.loads(raw), wall


class Farm:
    """The programs started for one measurement; stop() ends them (SIGTERM, SIGKILL after 30 s)."""

    def __init__(self, launcher, env, log_dir):
        self.launcher, self.env, self.log_dir = launcher, env, log_dir
        self.procs = []

    def start(self, name, args):
        log = open(os.path.join(self.log_dir, name + ".log"), "w")
        launched = time.monotonic()
        proc = subprocess.Popen([self.launcher] + args, stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        self.procs.append((name, proc))
        return proc, launched

    def exited(self):
        return ["%s (exit %s)" % (n, p.returncode) for n, p in self.procs if p.poll() is not None]

    def stop(self):
        # Once stopping, a second signal (Ctrl-C reaches us and then the bench script's SIGTERM) must not cut it
        # short; the programs also stop by themselves once the bench script has ended (SESSIONHUB_PARENT_PID).
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for _, p in self.procs:
            if p.poll() is None:
                p.terminate()
        end = time.monotonic() + 30
        for _, p in self.procs:
            try:
                p.wait(max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def wait_file(path, proc, launched, deadline):
    """ms from launch until PATH is non-empty (polled every 5 ms)."""
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return (time.monotonic() - launched) * 1000
        if proc.poll() is not None:
            raise RuntimeError("%s: exited with %s before writing it" % (path, proc.returncode))
        time.sleep(POLL)
    raise RuntimeError("%s not written in time" % path)


def wait_bound(port, proc, launched, deadline):
    """ms from launch until PORT accepts a connection (tried every 5 ms)."""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("port %d: the session exited with %s before binding" % (port, proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return (time.monotonic() - launched) * 1000
        except OSError:
            time.sleep(POLL)
    raise RuntimeError("port %d not bound in time" % port)


def in_thread(fn, *args):
    """Runs fn(*args) on a thread; returns a function that joins it and gives its result or raises its error."""
    box = {}
    def run():
        try:
            box["value"] = fn(*args)
        except Exception as e:  # handed to the joiner
            box["error"] = e
    t = threading.Thread(target=run, daemon=True)
    t.start()
    def join():
        t.join()
        if "error" in box:
            raise box["error"]
        return box["value"]
    return join


def wait_listed(urls, want, t0, deadline, selector=None):
    """ms from t0 until each hub's GET /api/sessions counts WANT (polled every 100 ms); {url: ms}."""
    query = "/api/sessions" + ("?selector=" + urllib.request.quote(selector) if selector else "")
    found, last = {}, {}
    while time.monotonic() < deadline:
        for url in urls:
            if url in found:
                continue
            try:
                last[url] = get_json(url + query, timeout=10)["count"]
            except (OSError, ValueError) as e:
                last[url] = "error: %s" % e
                continue
            if last[url] == want:
                found[url] = (time.monotonic() - t0) * 1000
            elif isinstance(last[url], int) and last[url] > want:
                raise RuntimeError("%s lists %d sessions, more than the %d started (another program in the "
                                   "range?)" % (url, last[url], want))
        if len(found) == len(urls):
            return found
        time.sleep(LIST_POLL)
    raise RuntimeError("not all listed in time: wanted %d, last counts %s" % (want, last))


def uses_cds(pid):
    """Whether the JVM was started with a class-data archive (-XX:SharedArchiveFile, as the launcher adds it)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return b"-XX:SharedArchiveFile=" in f.read()
    except OSError:
        return None


def python_status(ports):
    """Each session's Python warm-up as its GET /status says: "ready after N ms" (N from the agent's start), or
    its state (e.g. "off", "loading")."""
    out = []
    for port in ports:
        try:
            st = get_json("http://127.0.0.1:%d/status" % port, timeout=10)
            out.append("ready after %s ms" % st.get("python_ready_ms") if st.get("python_ready")
                       else str(st.get("python")))
        except (OSError, ValueError) as e:
            out.append("status failed: %s" % e)
    return out


def check_broadcast(job, want, expect, errors, what):
    res = job.get("results", [])
    ok = [r for r in res if r.get("state") == "ok" and r.get("output") == expect]
    if len(res) != want or len(ok) != want:
        bad = [r for r in res if not (r.get("state") == "ok" and r.get("output") == expect)][:5]
        errors.append("%s: %d results, %d ok (want %d); first others: %s"
                      % (what, len(res), len(ok), want, json.dumps(bad)[:600]))
    durs = sorted(r["duration_ms"] for r in res if r.get("duration_ms") is not None)
    return {"results": len(res), "ok": len(ok), "target_max_ms": durs[-1] if durs else None,
            "target_p50_ms": durs[len(durs) // 2] if durs else None,
            "slowest": max(res, key=lambda r: r.get("duration_ms") or 0).get("address") if res else None}


def cluster(a, env, log_dir):
    rec = {"mode": "cluster", "label": a.label, "sims": a.sims, "sessions": a.sessions, "errors": []}
    total = a.sims + a.sessions
    sim_span = 2 * a.sims
    base = free_range(sim_span + a.sessions)
    top = base + sim_span + a.sessions - 1
    target = "127.0.0.1:%d-%d" % (base, top)
    session_ports = [base + sim_span + i for i in range(a.sessions)]
    http = [free_port(), free_port()]
    hz = [free_port(), free_port()]
    while len(set(http + hz)) < 4:
        hz = [free_port(), free_port()]
    name = "youngfarm-%d-%d" % (os.getpid(), int(time.time()))
    rec.update(range=target, session_ports=session_ports)
    urls = ["http://127.0.0.1:%d" % p for p in http]
    say("    %s: 2 hubs (http %s), %d sessions, sim --agents %d on %s, all launched now"
        % (a.label, http, a.sessions, a.sims, target))
    farm = Farm(a.launcher, env, log_dir)
    try:
        hubs, sessions = [], []
        t0 = time.monotonic()
        for i in range(2):
            ready = os.path.join(log_dir, "hub%d.ready" % (i + 1))
            hubs.append((ready,) + farm.start("hub%d" % (i + 1), [
                "hub", "--rate-limit", "0", "--http-port", str(http[i]), "--hz-port", str(hz[i]),
                "--cluster", name, "--member", "127.0.0.1:%d" % hz[1 - i], "--scan", target,
                "--scan-interval", a.scan_interval, "--ready-file", ready,
                "--audit-log", os.path.join(log_dir, "hub%d-audit.jsonl" % (i + 1))]))
        for i, port in enumerate(session_ports):
            sessions.append((port,) + farm.start("session%d" % (i + 1), [
                "session", "--base-port", str(port), "--max-port", str(port), "--hub", urls[i % 2],
                "--name", "young%d" % (i + 1)]))
        sim_ready = os.path.join(log_dir, "sim.ports")
        sim = farm.start("sim", ["sim", "--agents", str(a.sims), "--base-port", str(base),
                                 "--max-port", str(base + sim_span - 1), "--ready-file", sim_ready])
        rec["launch_spread_ms"] = round((time.monotonic() - t0) * 1000, 1)
        deadline = t0 + START_LIMIT
        hub_joins = [in_thread(wait_file, r, p, l, deadline) for r, p, l in hubs]
        session_joins = [in_thread(wait_bound, port, p, l, deadline) for port, p, l in sessions]
        sim_join = in_thread(wait_file, sim_ready, sim[0], sim[1], deadline)
        listed_join = in_thread(wait_listed, urls, total, t0, deadline)
        rec["hub_ready_ms"] = [round(j()) for j in hub_joins]
        rec["session_bind_ms"] = [round(j()) for j in session_joins]
        rec["sim_ready_ms"] = round(sim_join())
        sim_ports = [int(l) for l in open(sim_ready) if l.strip()]
        if len(sim_ports) != a.sims:
            rec["errors"].append("the sim listens on %d ports, not %d" % (len(sim_ports), a.sims))
        listed = listed_join()
        rec["listed_ms"] = [round(listed[u]) for u in urls]
        rec["both_listed_ms"] = max(rec["listed_ms"])
        say("    %s: hubs ready %s ms, sessions bound %s ms, sim ready %d ms; both hubs list %d after %d ms"
            % (a.label, rec["hub_ready_ms"], rec["session_bind_ms"], rec["sim_ready_ms"], total,
               rec["both_listed_ms"]))
        time.sleep(a.settle)  # the "first broadcast, 10 s after all are listed": a deliberate pause
        if farm.exited():
            raise RuntimeError("exited before the first broadcast: %s" % farm.exited())
        rec["python_before_first"] = python_status(session_ports + sim_ports[:1])
        rec["session_cds"] = [uses_cds(p.pid) for _, p, _ in sessions]
        say("    %s: Python before the first broadcast (sessions, then the sim's first agent): %s"
            % (a.label, rec["python_before_first"]))
        job, wall = post_json(urls[0] + "/api/broadcast",
                              {"selector": "*", "code": "print(1)", "timeout": 120, "wait": True}, 180)
        first = check_broadcast(job, total, "1\n", rec["errors"], "first broadcast")
        first["wall_ms"] = round(wall, 1)
        by_address = {r.get("address"): r.get("duration_ms") for r in job.get("results", [])}
        first["session_targets_ms"] = [by_address.get("127.0.0.1:%d" % p) for p in session_ports]
        sim_durs = sorted(by_address[k] for k in by_address
                          if k and int(k.rsplit(":", 1)[1]) in set(sim_ports) and by_address[k] is not None)
        first["sim_targets_p50_max_ms"] = [sim_durs[len(sim_durs) // 2], sim_durs[-1]] if sim_durs else None
        rec["first"] = first
        say("    %s: first broadcast %.0f ms (slowest target %s ms, %s), %d/%d ok; the sessions took %s ms, the "
            "sim's agents %s ms (p50, max)" % (a.label, wall, first["target_max_ms"], first["slowest"], first["ok"],
                                               total, first["session_targets_ms"], first["sim_targets_p50_max_ms"]))
        walls, warm_max = [], []
        for i in range(a.warm):
            job, wall = post_json(urls[0] + "/api/broadcast",
                                  {"selector": "*", "code": "print('ok')", "timeout": 30, "wait": True}, 60)
            w = check_broadcast(job, total, "ok\n", rec["errors"], "warm broadcast %d" % (i + 1))
            walls.append(round(wall, 1))
            warm_max.append(w["target_max_ms"])
        rec["warm_walls_ms"] = walls
        rec["warm_target_max_ms"] = warm_max
        rec["warm_median_ms"] = statistics.median(walls) if walls else None
        ports_file = os.path.join(log_dir, "all.ports")
        with open(ports_file, "w") as f:
            f.write("".join("%d\n" % p for p in sorted(sim_ports + session_ports)))
        seeds = []
        for i in range(a.seed_runs):
            out = subprocess.run([sys.executable, os.path.join(HERE, "seed_broadcast.py"), ports_file,
                                  "--code", "print('ok')", "--max-seconds", "300"],
                                 capture_output=True, text=True, check=True).stdout
            s = json.loads(out)
            if not s["completed"] or s.get("outputs") != {"ok\n": total}:
                rec["errors"].append("seed loop run %d: %s" % (i + 1, out.strip()[:400]))
            seeds.append(round(s["seconds"] * 1000, 1))
        rec["seed_runs_ms"] = seeds
        rec["seed_median_ms"] = statistics.median(seeds) if seeds else None
        rec["session_rss_mb"] = [rss_mb(p.pid) for _, p, _ in sessions]
        say("    %s: warm median %s ms (%s), seed loop median %s ms (%s)"
            % (a.label, rec["warm_median_ms"], walls, rec["seed_median_ms"], seeds))
        if farm.exited():
            rec["errors"].append("exited during the run: %s" % farm.exited())
    except Exception as e:  # reported in the record: the other configuration's figures still count
        rec["errors"].append("%s: %s" % (type(e).__name__, e))
    finally:
        farm.stop()
    return rec


def farm_code(launcher):
    """The code ops/bin/farm broadcasts (its `code="..."` block), so that this measures farm's own command."""
    farm_script = os.path.join(os.path.dirname(os.path.abspath(launcher)), "farm")
    m = re.search(r'^code="(.*?)"$', open(farm_script).read(), re.S | re.M)
    if not m:
        raise RuntimeError("no code=\"...\" block in %s" % farm_script)
    return m.group(1).replace('\\"', '"').replace("\\$", "$")


def farm(a, env, log_dir):
    rec = {"mode": "farm", "label": a.label, "sessions": a.sessions, "errors": []}
    code = farm_code(a.launcher)
    base = free_range(100)
    http, hz = free_port(), free_port()
    url = "http://127.0.0.1:%d" % http
    farm_id = "farm-%d-%d" % (http, os.getpid())
    selector = "tag.farm=" + farm_id
    say("    %s: hub (http %d) and %d sessions on 127.0.0.1:%d-%d, launched together"
        % (a.label, http, a.sessions, base, base + 99))
    progs = Farm(a.launcher, env, log_dir)
    try:
        t0 = time.monotonic()
        ready = os.path.join(log_dir, "hub.ready")
        hub = progs.start("hub", ["hub", "--http-port", str(http), "--hz-port", str(hz), "--cluster", farm_id,
                                  "--scan", "127.0.0.1:%d-%d" % (base, base + 99), "--ready-file", ready,
                                  "--audit-log", os.path.join(log_dir, "hub-audit.jsonl")])
        sessions = []
        for i in range(1, a.sessions + 1):
            port_file = os.path.join(log_dir, "s%d.port" % i)
            sessions.append((port_file,) + progs.start("s%d" % i, [
                "session", "--hub", url, "--base-port", str(base), "--max-port", str(base + 99), "--app", "headless",
                "--name", "shot%d" % (10 * i), "--tag", "show=demo", "--tag", "farm=" + farm_id,
                "--port-file", port_file]))
        deadline = t0 + START_LIMIT
        hub_join = in_thread(wait_file, ready, hub[0], hub[1], deadline)
        session_joins = [in_thread(wait_file, f, p, l, deadline) for f, p, l in sessions]
        listed_join = in_thread(wait_listed, [url], a.sessions, t0, deadline, selector)
        rec["hub_ready_ms"] = round(hub_join())
        rec["session_bind_ms"] = [round(j()) for j in session_joins]
        rec["listed_ms"] = round(listed_join()[url])
        for run in ("first", "second"):
            t = time.monotonic()
            if run == "first":
                rec["first_sent_ms"] = round((t - t0) * 1000)
            out = subprocess.run([a.launcher, "broadcast", selector, code, "--timeout", "30s", "--hub", url, "--json"],
                                 capture_output=True, text=True, env=env)
            wall = (time.monotonic() - t) * 1000
            try:
                job = json.loads(out.stdout)
            except ValueError:
                raise RuntimeError("broadcast %s (exit %d) printed no JSON: %s %s"
                                   % (run, out.returncode, out.stdout[-300:], out.stderr[-300:]))
            res = sorted(job.get("results", []), key=lambda r: r.get("address", ""))
            ok = [r for r in res if r.get("state") == "ok" and "headless session shot" in (r.get("output") or "")]
            if out.returncode != 0 or len(res) != a.sessions or len(ok) != a.sessions:
                rec["errors"].append("%s broadcast: exit %d, %d results, %d ok: %s"
                                     % (run, out.returncode, len(res), len(ok), json.dumps(res)[:600]))
            rec[run] = {"cli_wall_ms": round(wall), "session_ms": [r.get("duration_ms") for r in res],
                        "addresses": [r.get("address") for r in res]}
        rec["session_rss_mb"] = [rss_mb(p.pid) for _, p, _ in sessions]
        ports = [int(open(f).read().split()[0]) for f, _, _ in sessions]
        rec["python_after"] = python_status(ports)
        rec["session_cds"] = [uses_cds(p.pid) for _, p, _ in sessions]
        say("    %s: first broadcast sent %d ms after launch; Python (read after the broadcasts): %s"
            % (a.label, rec["first_sent_ms"], rec["python_after"]))
        say("    %s: hub ready %d ms, sessions bound %s ms, listed %d ms; first broadcast per session %s ms, "
            "second %s ms" % (a.label, rec["hub_ready_ms"], rec["session_bind_ms"], rec["listed_ms"],
                              rec["first"]["session_ms"], rec["second"]["session_ms"]))
        if progs.exited():
            rec["errors"].append("exited during the run: %s" % progs.exited())
    except Exception as e:
        rec["errors"].append("%s: %s" % (type(e).__name__, e))
    finally:
        progs.stop()
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["cluster", "farm"])
    ap.add_argument("launcher")
    ap.add_argument("label")
    ap.add_argument("env", nargs="*", help="ENV=VALUE (ENV= removes ENV)")
    ap.add_argument("--sims", type=int, default=200)
    ap.add_argument("--sessions", type=int, default=None)
    ap.add_argument("--warm", type=int, default=20)
    ap.add_argument("--seed-runs", type=int, default=3)
    ap.add_argument("--settle", type=float, default=10.0)
    ap.add_argument("--scan-interval", default="5s")
    ap.add_argument("--log-dir")
    a = ap.parse_intermixed_args()
    if a.sessions is None:
        a.sessions = 4 if a.mode == "cluster" else 3
    env = dict(os.environ)
    for pair in a.env:
        k, _, v = pair.partition("=")
        if v:
            env[k] = v
        else:
            env.pop(k, None)
    # SIGTERM (the bench script stopping) ends us through the finally blocks, which stop what we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    log_dir = a.log_dir or tempfile.mkdtemp(prefix="young-farm-")
    os.makedirs(log_dir, exist_ok=True)
    rec = (cluster if a.mode == "cluster" else farm)(a, env, log_dir)
    rec["log_dir"] = log_dir
    rec["load"] = open("/proc/loadavg").read().split()[:3]
    print(json.dumps(rec), flush=True)
    say("    %s %s: load average at the end %s%s" % (a.mode, a.label, " ".join(rec["load"]),
                                                   "; ERRORS: %s" % rec["errors"] if rec["errors"] else ""))


if __name__ == "__main__":
    main()
