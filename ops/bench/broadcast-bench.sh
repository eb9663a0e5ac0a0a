#!/usr/bin/env bash
# Benchmark: a broadcast to 1,000 sessions through a hub against the seed's sequential Python loop, and the latency
# a hub adds to one command against calling the agent directly, in one run.
#   setup: `sessionhub sim --agents 1000` on a free 2,000-port range and a hub scanning it (--scan-interval 60s; --rate-limit 0, since the
#          per-client limit of 200 requests/s would throttle the one benchmark client);
#          discovery time = hub ready -> GET /api/sessions counts 1,000; then one cold broadcast of print(1) (the
#          sim's shared Jython starts on the first command), timed and reported apart
#   a. POST /api/broadcast {"selector":"*","code":"print('ok')","wait":true}, 11 runs, client wall time min/median/
#      max, every run checked for 1,000 ok results with output "ok"; the job's own duration (created_at -> the
#      last result's finished_at)
#   b. the seed loop, ops/bench/seed_broadcast.py: a fresh ServerProxy and one command() per port, sequential,
#      over the same 1,000 ports with the same code, 3 runs (--seed-runs), the median run reported
#   c. route latency, interleaved per iteration, 200 timed calls each after 20 (--route-warmup) warm-up calls: direct
#      command("print(1)") to one agent; hub.command(address, "print(1)") at the hub's /RPC2; and
#      POST /api/sessions/{address}/command with urllib (a new connection per call, as urllib does)
# The range is the first base in 8000, 10000, ... whose 2,000 ports all bind on 127.0.0.1 (printed).
# --warmup N: N warm-up broadcasts before the timed runs, the cold print(1) first (default 1: only the cold one).
# The figures in ops/BENCHMARKS.md are taken with --warmup 150 --route-warmup 3000: a hub that has run a while
# (the JIT keeps compiling the broadcast path for ~100 broadcasts; cold figures are printed too).
# usage: ops/bench/broadcast-bench.sh [--agents 1000] [--runs 11] [--seed-runs 3] [--warmup 1] [--calls 200]
#          [--route-warmup 20] [--command-threads 4] [--seed-max-seconds 120]                   (about 1-2 min)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
agents=1000; runs=11; seed_runs=3; warmup=1; calls=200; route_warmup=20; threads=4; seed_max=120
usage="usage: $0 [--agents 1000] [--runs 11] [--seed-runs 3] [--warmup 1] [--calls 200] [--route-warmup 20] [--command-threads 4] [--seed-max-seconds 120]"
while [ $# -gt 0 ]; do
  case "$1" in
    --agents) agents="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --route-warmup) route_warmup="$2"; shift 2 ;;
    --command-threads) threads="$2"; shift 2 ;;
    --seed-max-seconds) seed_max="$2"; shift 2 ;;
    --seed-runs) seed_runs="$2"; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[ -f "$root/ops/target/sessionhub.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
sessionhub="$root/ops/bin/sessionhub"
span=$((2 * agents))

# What this script starts stops when it stops, also on Ctrl-C, SIGTERM, SIGHUP and kill -9: ops/bin/lib/children.sh.
# shellcheck source=../bin/lib/children.sh
. "$root/ops/bin/lib/children.sh"
tmp="$(mktemp -d)"
remove_tmp() { rm -rf "$tmp"; }
children_on_exit remove_tmp
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_range() {  # first base in 8000, 10000, ... whose $span ports all bind on 127.0.0.1, below the ephemeral range
  python3 - "$span" <<'EOF'
import socket, sys
span = int(sys.argv[1])
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
def free(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port)); return True
    except OSError:
        return False
    finally:
        s.close()
for base in range(8000, low - span + 1, 2000):
    if all(free(p) for p in range(base, base + span)):
        print(base); break
EOF
}
now() { python3 -c 'import time; print(repr(time.time()))'; }

load_start=$(cut -d" " -f1-3 /proc/loadavg)
base=$(free_range)
[ -n "$base" ] || { echo "no free ${span}-port range on 127.0.0.1 below the ephemeral ports" >&2; exit 1; }
top=$((base + span - 1)); target="127.0.0.1:$base-$top"
echo "range: $base-$top"

echo "starting sessionhub sim --agents $agents --command-threads $threads on $base-$top..."
"$sessionhub" sim --agents "$agents" --base-port "$base" --max-port "$top" --command-threads "$threads" \
  --ready-file "$tmp/sim.ports" > "$tmp/sim.log" 2>&1 & children_add $!
for _ in $(seq 1 1800); do [ -s "$tmp/sim.ports" ] && break; sleep 0.1; done
[ -s "$tmp/sim.ports" ] || { echo "sim did not start:" >&2; cat "$tmp/sim.log" >&2; exit 1; }
up=$(awk -v b="$base" -v t="$top" '$1>=b && $1<=t' "$tmp/sim.ports" | wc -l)
echo "  $(head -1 "$tmp/sim.log"); $up agents in range"
[ "$up" = "$agents" ] || { echo "expected $agents agents in $base-$top, got $up" >&2; exit 1; }
first_port=$(sort -n "$tmp/sim.ports" | awk 'NR == 1')  # awk reads to the end: no SIGPIPE for sort under pipefail

echo "starting sessionhub hub --scan $target --scan-interval 60s, waiting until it lists $agents sessions..."
http=$(free_port); hz=$(free_port)
t_launch=$(now)
"$sessionhub" hub --rate-limit 0 --http-port "$http" --hz-port "$hz" --cluster "broadcastbench-$$-$RANDOM" --scan "$target" \
  --scan-interval 60s --ready-file "$tmp/hub.ready" > "$tmp/hub.log" 2>&1 & children_add $!
disc_json=$(python3 - "$tmp/hub.ready" "$t_launch" "$agents" <<'EOF'
import json, os, sys, time, urllib.request
ready_file, t_launch, want = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)
deadline = time.time() + 120
while not (os.path.exists(ready_file) and os.path.getsize(ready_file) > 0):
    if time.time() > deadline: sys.exit("hub not ready after 120 s")
    time.sleep(0.01)
t_ready = time.time()
url = open(ready_file).read().strip()
count, polls = 0, 0
while time.time() < t_ready + 150:            # every 200 ms, at most 150 s (a missed session waits for cycle 2)
    count = get(url + "/api/sessions")["count"]; polls += 1
    if count >= want: break
    time.sleep(0.2)
t_found = time.time()
me = None
while time.time() < t_found + 30:             # the first cycle's status is published when the cycle ends
    me = next((m for m in get(url + "/api/cluster")["members"] if m.get("local")), None)
    if me and me.get("last_scan_at"): break
    time.sleep(0.1)
print(json.dumps({"url": url, "count": count, "polls": polls, "ready_ms": round((t_ready - t_launch) * 1000),
                  "found_after_ready_ms": round((t_found - t_ready) * 1000),
                  "last_scan_ms": me.get("last_scan_ms") if me else None,
                  "sessions_found": me.get("sessions_found") if me else None}))
EOF
) || { echo "discovery failed:" >&2; tail -20 "$tmp/hub.log" >&2; exit 1; }
echo "  $disc_json"
disc() { echo "$disc_json" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
hub_url=$(disc url)
[ "$(disc count)" = "$agents" ] || { echo "the hub lists $(disc count) sessions, not $agents" >&2; exit 1; }

echo "a. POST /api/broadcast to all $agents: $warmup warm-up (the first, print(1), timed as cold), then $runs runs of print('ok')..."
bc_json=$(python3 - "$hub_url" "$agents" "$runs" "$warmup" <<'EOF'
import datetime, http.client, json, statistics, sys, time, urllib.parse
url, want, runs, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
u = urllib.parse.urlsplit(url)
def ts(s):   # Instant.toString(): 2026-11-24T10:00:00.123456Z (0, 3, 6 or 9 fraction digits)
    s = s.rstrip("Z")
    if "." in s:
        whole, frac = s.split(".")
        s = whole + "." + (frac + "000000")[:6]
    return datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc).timestamp()
def broadcast(code, timeout, expect):
    body = json.dumps({"selector": "*", "code": code, "timeout": timeout, "wait": True})
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout + 30)
    t0 = time.perf_counter()
    conn.request("POST", "/api/broadcast", body, {"Content-Type": "application/json"})
    resp = conn.getresponse(); raw = resp.read()
    wall = (time.perf_counter() - t0) * 1000
    conn.close()
    if resp.status != 200: sys.exit("broadcast answered %d: %s" % (resp.status, raw[:300]))
    job = json.loads(raw); res = job["results"]
    ok = sum(1 for r in res if r["state"] == "ok" and r.get("output") == expect)
    own = (max(ts(r["finished_at"]) for r in res) - ts(job["created_at"])) * 1000 if res else None
    durs = sorted(r["duration_ms"] for r in res)
    return {"wall_ms": round(wall, 1), "job_ms": round(own, 1) if own is not None else None, "ok": ok,
            "counts": job["counts"], "state": job["state"], "results": len(res),
            "target_p50_ms": durs[len(durs) // 2] if durs else None, "target_max_ms": durs[-1] if durs else None,
            "bytes": len(raw)}
cold = broadcast("print(1)", 120, "1\n")
print("  cold: %s" % json.dumps(cold), file=sys.stderr)
for i in range(warmup - 1):
    w = broadcast("print('ok')", 30, "ok\n")
    if i == warmup - 2: print("  last warm-up: %s" % json.dumps(w), file=sys.stderr)
out = []
for i in range(runs):
    r = broadcast("print('ok')", 30, "ok\n")
    print("  run %d: %s" % (i + 1, json.dumps(r)), file=sys.stderr)
    out.append(r)
walls = [r["wall_ms"] for r in out]; jobs = [r["job_ms"] for r in out]
print(json.dumps({"cold": cold, "runs": out, "min": min(walls), "median": statistics.median(walls),
                  "max": max(walls), "job_median": statistics.median(jobs),
                  "all_ok": all(r["ok"] == want for r in out), "oks": [r["ok"] for r in out]}))
EOF
) || { echo "broadcast measurement failed:" >&2; tail -20 "$tmp/hub.log" >&2; exit 1; }
bcv() { echo "$bc_json" | python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, d))" "$1"; }

echo "b. seed loop (sequential Python, fresh ServerProxy per port), $seed_runs runs (the median run is reported)..."
seed_lines=()
for i in $(seq 1 "$seed_runs"); do
  seed_lines+=("$(python3 "$here/seed_broadcast.py" "$tmp/sim.ports" --code "print('ok')" --max-seconds "$seed_max")")
  echo "  run $i: ${seed_lines[-1]}"
done
seed_line=$(printf '%s\n' "${seed_lines[@]}" | python3 -c "
import json, sys
runs = sorted((json.loads(l) for l in sys.stdin if l.strip()), key=lambda r: r['seconds'])
print(json.dumps(runs[len(runs) // 2]))")
seed_all=$(printf '%s\n' "${seed_lines[@]}" | python3 -c "
import json, sys
print(' '.join(str(round(json.loads(l)['seconds'] * 1000)) for l in sys.stdin if l.strip()))")
seed() { echo "$seed_line" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
seed_ms=$(python3 -c "print(round($(seed seconds) * 1000))")

echo "c. route latency: direct command() vs hub.command() vs REST, $calls calls each after $route_warmup warm-up, interleaved..."
route_json=$(python3 - "$hub_url" "$first_port" "$calls" "$route_warmup" <<'EOF'
import json, sys, time, urllib.request, xmlrpc.client
url, port, calls, warm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
address = "127.0.0.1:%d" % port
with urllib.request.urlopen(url + "/api/sessions/" + address, timeout=10) as r:
    assert json.load(r)["address"] == address
agent = xmlrpc.client.ServerProxy("http://127.0.0.1:%d/" % port, allow_none=True)
rpc = xmlrpc.client.ServerProxy(url + "/RPC2", allow_none=True)
rest_url = url + "/api/sessions/" + address + "/command"
body = json.dumps({"code": "print(1)", "timeout": 30}).encode()
def rest():
    req = urllib.request.Request(rest_url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        job = json.load(r)
    res = job["results"][0]
    if res["state"] != "ok": raise RuntimeError(res)
    return res["output"]
ways = [("direct", lambda: agent.command("print(1)")), ("hub_xmlrpc", lambda: rpc.hub.command(address, "print(1)")),
        ("rest", rest)]
times = {name: [] for name, _ in ways}
for i in range(warm + calls):
    for name, call in ways:
        t0 = time.perf_counter()
        out = call()
        dt = (time.perf_counter() - t0) * 1000
        if out != "1\n": sys.exit("%s answered %r" % (name, out))
        if i >= warm: times[name].append(dt)
def pct(xs, p):   # nearest rank
    xs = sorted(xs); return xs[max(0, -(-len(xs) * p // 100) - 1)]
print(json.dumps({"address": address, **{name: {"p50": round(pct(v, 50), 3), "p99": round(pct(v, 99), 3),
                                                "max": round(max(v), 3)} for name, v in times.items()}}))
EOF
) || { echo "route measurement failed:" >&2; tail -20 "$tmp/hub.log" >&2; exit 1; }
echo "  $route_json"
rt() { echo "$route_json" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['$1']['$2'])"; }
adds=$(python3 -c "print('%.3f' % ($(rt hub_xmlrpc p50) - $(rt direct p50)))")
adds_rest=$(python3 -c "print('%.3f' % ($(rt rest p50) - $(rt direct p50)))")

med=$(bcv median)
ratio=$(python3 -c "print('%.1fx' % ($seed_ms / $med))")
verdict() { python3 -c "print('met' if $1 else 'MISSED')"; }
echo
echo "== broadcast benchmark ($(nproc) cores, $(date -u +%F)): $agents sessions (sessionhub sim, --command-threads $threads) on $target =="
printf "%-46s %26s %22s %14s\n" "" "SessionHub (hub)" "baseline" "target"
printf "%-46s %26s %22s %14s\n" "broadcast print('ok') to $agents, all results" "$(bcv min) / $med / $(bcv max) ms" "seed loop $seed_ms ms" "< 1,000 ms"
printf "%-46s %26s %22s %14s\n" "  (hub: min / median / max of $runs)" "$(verdict "$med < 1000")" "" ""
printf "%-46s %26s %22s %14s\n" "  seed loop / hub median" "$ratio" "1.0x" ">= 10x"
printf "%-46s %26s %22s %14s\n" "  all ok" "$(bcv oks) $(bcv all_ok)" "$(seed answered) of $(seed ports_total)" ""
printf "%-46s %26s %22s %14s\n" "  job's own duration, median (ms)" "$(bcv job_median)" "" ""
printf "%-46s %26s %22s %14s\n" "  cold first broadcast print(1) (ms)" "$(bcv "cold['wall_ms']")" "" ""
printf "%-46s %26s %22s %14s\n" "command print(1), p50 / p99 (ms)" "$(rt hub_xmlrpc p50) / $(rt hub_xmlrpc p99)" "direct $(rt direct p50) / $(rt direct p99)" ""
printf "%-46s %26s %22s %14s\n" "  routing adds at p50, hub.command (ms)" "$adds" "" "< 1 ms"
printf "%-46s %26s %22s %14s\n" "  (hub.command via /RPC2)" "$(verdict "$adds < 1")" "" ""
printf "%-46s %26s %22s %14s\n" "  REST route p50 / p99 (ms), adds at p50" "$(rt rest p50) / $(rt rest p99), +$adds_rest" "" ""
printf "%-46s %26s %22s %14s\n" "discovery: hub ready -> lists $agents (ms)" "$(disc found_after_ready_ms)" "" ""
echo "seed loop runs (ms): $seed_all"
echo "broadcast runs (wall ms / job ms / ok):$(echo "$bc_json" | python3 -c "import json,sys; print(''.join(' %s/%s/%s' % (r['wall_ms'], r['job_ms'], r['ok']) for r in json.load(sys.stdin)['runs']))")"
echo "cold: $(bcv cold)"
echo "per-target call time in the runs (p50 / max ms):$(echo "$bc_json" | python3 -c "import json,sys; print(''.join(' %s/%s' % (r['target_p50_ms'], r['target_max_ms']) for r in json.load(sys.stdin)['runs']))")"
echo "hub: launch -> ready $(disc ready_ms) ms; first scan cycle last_scan_ms $(disc last_scan_ms), found $(disc sessions_found); $(disc polls) polls"
echo "max (ms): direct $(rt direct max), hub.command $(rt hub_xmlrpc max), REST $(rt rest max)"
echo "load average (1/5/15 min) at start $load_start, at end $(cut -d" " -f1-3 /proc/loadavg)"
