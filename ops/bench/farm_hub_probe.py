#!/usr/bin/env python3
"""Measures hubs on the netns farm from inside a hub's namespace (run through `ip netns exec`).

  discovery  wait for the hubs' ready files, then time how long until GET /api/sessions counts --want sessions;
             then each hub's first scan cycle and --cycles further (warm) cycles from GET /api/cluster
  lookup     selector lookups through GET /api/sessions?selector=..., one kept-alive connection, p50/p99/max
  broadcast  POST /api/broadcast {selector "*", wait true}: one cold run, then --runs timed runs
  count      print how many sessions the hub lists
  warm       call server_data() --passes times on every session of --hosts (ports 8000 + 0..--agents-1), a
             thread per host; fails if any call fails
  quiet      wait until the machine's CPUs are --idle % idle (at most --max-seconds)

Prints one JSON object. Requests carry the token from --token-file as Authorization: Bearer.
"""
import argparse
import http.client
import json
import os
import sys
import time
import urllib.parse


def conn(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=600)


class Hub:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.headers = {"Authorization": "Bearer " + token}
        self.c = conn(self.url)

    def call(self, method, path, body=None):
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.c.request(method, path, body=data, headers=headers)
                r = self.c.getresponse()
                raw = r.read()
                if r.status >= 300:
                    raise RuntimeError("%s %s: HTTP %d %s" % (method, path, r.status, raw[:200]))
                return json.loads(raw), len(raw)
            except (http.client.HTTPException, ConnectionError):
                self.c.close()
                self.c = conn(self.url)
                if attempt == 2:
                    raise

    def get(self, path):
        return self.call("GET", path)[0]


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))]


def wait_ready(files, deadline_s=180):
    end = time.time() + deadline_s
    while not all(os.path.exists(f) and os.path.getsize(f) > 0 for f in files):
        if time.time() > end:
            sys.exit("hubs not ready after %d s: %s" % (deadline_s, files))
        time.sleep(0.02)
    return time.time(), [open(f).read().strip() for f in files]


def members(hub):
    return hub.get("/api/cluster")["members"]


def discovery(a, token):
    t_ready, urls = wait_ready(a.ready_files.split(","))
    hub = Hub(urls[0], token)
    count, polls, first = 0, 0, None
    while time.time() < t_ready + a.max_seconds:
        count = hub.get("/api/sessions")["count"]
        polls += 1
        first = count if first is None else first
        if count >= a.want:
            break
        time.sleep(a.poll)
    t_found = time.time()
    # every hub's first cycle, then --cycles more: (member -> list of statuses), each status once
    seen = {}
    end = time.time() + a.max_seconds + a.cycles * (a.interval + 30)
    want_hubs = len(urls)
    while time.time() < end:
        ms = members(hub)
        for m in ms:
            at = m.get("last_scan_at")
            if not at:
                continue
            lst = seen.setdefault(m["member"], [])
            if not lst or lst[-1]["last_scan_at"] != at:
                lst.append({k: m.get(k) for k in ("last_scan_at", "last_scan_ms", "hosts_owned", "ports_probed",
                                                  "sessions_found", "sessions_polled", "member_address")})
        if len(seen) >= want_hubs and all(len(v) >= 1 + a.cycles for v in seen.values()):
            break
        time.sleep(0.1)
    print(json.dumps({"launch_to_ready_ms": round((t_ready - a.launched) * 1000),
                      "ready_to_all_ms": round((t_found - t_ready) * 1000),
                      "launch_to_all_ms": round((t_found - a.launched) * 1000),
                      "count": count, "first_count": first, "polls": polls,
                      "cluster_size": len(members(hub)), "cycles": seen}))


def lookup(a, token):
    hub = Hub(a.url, token)
    out = {}
    for sel in a.selectors:
        path = "/api/sessions?selector=" + urllib.parse.quote(sel)
        matches, size = None, 0
        for _ in range(a.warmup):
            body, size = hub.call("GET", path)
            matches = body["count"]
        times = []
        for _ in range(a.iterations):
            t = time.perf_counter()
            hub.call("GET", path)
            times.append((time.perf_counter() - t) * 1000)
        out[sel] = {"matches": matches, "bytes": size, "p50_ms": round(pct(times, 50), 2),
                    "p99_ms": round(pct(times, 99), 2), "max_ms": round(max(times), 2)}
    print(json.dumps(out))


def broadcast(a, token):
    hub = Hub(a.url, token)
    runs = []
    for i in range(a.runs + 1):
        t = time.perf_counter()
        view, size = hub.call("POST", "/api/broadcast",
                              {"selector": a.selector, "code": a.code, "timeout": a.timeout, "wait": True})
        wall = (time.perf_counter() - t) * 1000
        finished = [r["finished_at"] for r in view["results"]]
        failures = {}
        for r in view["results"]:
            if r["state"] != "ok":
                key = "%s %s: %s" % (r["state"], r.get("fault_code", ""), (r.get("message") or "")[:120])
                failures[key] = failures.get(key, 0) + 1
        runs.append({"cold": i == 0, "wall_ms": round(wall), "targets": view["target_count"],
                     "counts": view["counts"], "bytes": size, "created_at": view.get("created_at"),
                     "last_finished_at": max(finished) if finished else None,
                     "failures": dict(sorted(failures.items(), key=lambda kv: -kv[1])[:5])})
    print(json.dumps(runs))


def warm(a, token):
    import socket
    import threading
    import xmlrpc.client
    socket.setdefaulttimeout(60)
    done, failed = [0], []

    def host(h):
        for _ in range(a.passes):
            for p in range(8000, 8000 + a.agents):
                try:
                    xmlrpc.client.ServerProxy("http://any:%s@%s:%d/" % (token, h, p), allow_none=True).server_data()
                    done[0] += 1
                except Exception as e:
                    failed.append("%s:%d %s" % (h, p, e))
    threads = [threading.Thread(target=host, args=(h,)) for h in a.hosts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("  %d server_data() calls answered, %d failed %s" % (done[0], len(failed), failed[:3]))
    if failed:
        sys.exit(1)


def quiet(a):
    """Waits (at most --max-seconds) until the CPUs were at least --idle % idle over 2 s; prints what it saw."""
    def sample():
        f = open("/proc/stat").readline().split()[1:]
        v = [int(x) for x in f]
        return v[3] + v[4], sum(v)
    end = time.time() + a.max_seconds
    idle = 0.0
    while time.time() < end:
        i0, t0 = sample()
        time.sleep(2)
        i1, t1 = sample()
        idle = 100.0 * (i1 - i0) / max(1, t1 - t0)
        if idle >= a.idle:
            break
    print("  CPU %.0f %% idle" % idle)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["discovery", "lookup", "broadcast", "count", "warm", "quiet"])
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--idle", type=float, default=80.0)
    ap.add_argument("--hosts", nargs="*", default=[])
    ap.add_argument("--agents", type=int, default=0)
    ap.add_argument("--token-file")
    ap.add_argument("--url")
    ap.add_argument("--ready-files")
    ap.add_argument("--launched", type=float, default=0.0)
    ap.add_argument("--want", type=int, default=0)
    ap.add_argument("--poll", type=float, default=0.05)
    ap.add_argument("--interval", type=float, default=5.0)
    ap.add_argument("--cycles", type=int, default=3)
    ap.add_argument("--max-seconds", type=float, default=120.0)
    ap.add_argument("--selectors", nargs="*", default=[])
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--selector", default="*")
    ap.add_argument("--code", default="print('ok')")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if a.mode == "quiet":
        quiet(a)
        return
    token = open(a.token_file).read().strip()
    if a.mode == "discovery":
        discovery(a, token)
    elif a.mode == "lookup":
        lookup(a, token)
    elif a.mode == "broadcast":
        broadcast(a, token)
    elif a.mode == "warm":
        warm(a, token)
    else:
        print(Hub(a.url, token).get("/api/sessions")["count"])


if __name__ == "__main__":
    main()
