#!/usr/bin/env bash
# Benchmark: N sessions in one hub's inventory on the network-namespace farm (ops/netns/netns-farm.sh): H hosts,
# each a namespace running `sessionhub sim --agents N/H` on ports 8000-..., one hub on host 1 scanning them all.
#   1. the hub starts first (sims not up yet), runs an empty cycle: its heap after a full GC is the baseline
#   2. the sims start and are warmed (one server_data() each, then until the CPUs are 80 % idle); the hub's next
#      cycle discovers them: that cycle's last_scan_ms, and from the cycle's start until GET /api/sessions lists all
#   3. heap after a full GC again: inventory memory per session = (heap - baseline) / N (the Hazelcast entries and
#      the hub's decoded view together; one member, so no backup copy); the hub's RSS too
#   4. selector lookups through GET /api/sessions?selector=... (one kept-alive connection): p50 / p99 / max
#   5. broadcast print('ok') to all N (POST /api/broadcast, wait): one cold run (Python starts in each sim), then
#      --runs timed runs: client wall time and the job's own time (created -> last result)
# Needs root. Everything runs inside the farm's namespaces; the farm is removed at exit.
# usage: ops/bench/farm-scale-bench.sh [--hosts 10] [--sessions 10000] [--runs 3] [--interval 45]
#        [--lookup-iterations 200] [--json FILE]                                      (about 4 minutes at 10,000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../netns/netns-farm.sh
. "$root/ops/netns/netns-farm.sh"
hosts=10; sessions=10000; runs=3; interval=45; iterations=200; json_out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) hosts="$2"; shift 2 ;;
    --sessions) sessions="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --lookup-iterations) iterations="$2"; shift 2 ;;
    --json) json_out="$2"; shift 2 ;;
    *) sed -n '2,15p' "$0" >&2; exit 2 ;;
  esac
done
agents=$(( sessions / hosts ))
[ $(( agents * hosts )) -eq "$sessions" ] || { echo "--sessions must be a multiple of --hosts" >&2; exit 2; }
[ "$agents" -le 2000 ] || { echo "at most 2000 sessions per host (ports 8000-9999)" >&2; exit 2; }
why="$(netns_farm_available)" || { echo "farm-scale-bench: cannot build a netns farm here: $why" >&2; exit 1; }
[ -f "$root/ops/target/sessionhub.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
sessionhub="$root/ops/bin/sessionhub"

tmp="$(mktemp -d)"; farm=""
cleanup() { [ -n "$farm" ] && netns_farm_down "$farm"; rm -rf "$tmp"; }
# What this script starts stops when it stops, also on Ctrl-C, SIGTERM, SIGHUP and kill -9: ops/bin/lib/children.sh
# (the farm's namespaces go with cleanup; after kill -9, with the next netns_farm_reap).
# shellcheck source=../bin/lib/children.sh
. "$root/ops/bin/lib/children.sh"
children_on_exit cleanup
netns_farm_reap
farm="$(netns_farm_up --slots "$hosts" --owner $$)"
netns_farm_env "$farm"
top=$(( 8000 + agents - 1 ))
range="$FARM_NET.101-$((100 + hosts)):8000-$top"
echo "farm $farm: $hosts hosts x $agents sessions = $sessions, range $range"
token="bench-$farm-$RANDOM$RANDOM"; printf '%s\n' "$token" > "$tmp/token"; chmod 600 "$tmp/token"
url="http://$FARM_NET.101:7700"
probe() { netns_farm_exec "$farm" 1 python3 "$here/farm_hub_probe.py" --token-file "$tmp/token" "$@"; }
heap_kb() {  # heap used after a full GC, in KB
  jcmd "$1" GC.run > /dev/null
  jcmd "$1" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {print $(i + 1) + 0; exit}}'
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cluster_json() { netns_farm_exec "$farm" 1 curl -sS -H "@$tmp/auth" "$url/api/cluster"; }
printf 'Authorization: Bearer %s\n' "$token" > "$tmp/auth"; chmod 600 "$tmp/auth"
last_scan_at() { cluster_json | python3 -c 'import json,sys; m=[m for m in json.load(sys.stdin)["members"] if m.get("local")][0]; print(m.get("last_scan_at") or "")'; }

echo "1. the hub on host 1 (scan every ${interval}s), before any session is up..."
ip netns exec "$(netns_farm_ns "$farm" 1)" "$sessionhub" hub --bind "$FARM_NET.101" --http-port 7700 --hz-port 5701 \
  --cluster "scale-$farm" --scan "$range" --scan-interval "${interval}s" --token-file "$tmp/token" \
  --ready-file "$tmp/hub.ready" > "$tmp/hub.log" 2>&1 &
hub=$!
children_add "$hub"
for _ in $(seq 1 1200); do [ -s "$tmp/hub.ready" ] && break; sleep 0.1; done
[ -s "$tmp/hub.ready" ] || { echo "hub not ready:" >&2; tail -n 20 "$tmp/hub.log" >&2; exit 1; }
for _ in $(seq 1 600); do [ -n "$(last_scan_at)" ] && break; sleep 0.2; done
empty_cycle="$(last_scan_at)"
base_heap=$(heap_kb "$hub"); base_rss=$(rss_kb "$hub")
echo "  empty cycle done; heap after GC ${base_heap} KB, RSS ${base_rss} KB"

echo "2. starting $hosts sims x $agents agents..."
for s in $(seq 1 "$hosts"); do
  netns_farm_exec "$farm" "$s" "$sessionhub" sim --agents "$agents" --bind "$FARM_NET.$((100 + s))" \
    --base-port 8000 --max-port "$top" --token-file "$tmp/token" --ready-file "$tmp/sim$s.ports" \
    > "$tmp/sim$s.log" 2>&1 &
  children_add $!
done
for s in $(seq 1 "$hosts"); do
  for _ in $(seq 1 3000); do [ -s "$tmp/sim$s.ports" ] && break; sleep 0.1; done
  [ -s "$tmp/sim$s.ports" ] || { echo "sim $s did not start:" >&2; tail "$tmp/sim$s.log" >&2; exit 1; }
done
echo "  all sims listening; one server_data() on every session (so no sim is JIT-cold), then a quiet CPU..."
addrs=(); for s in $(seq 1 "$hosts"); do addrs+=("$FARM_NET.$((100 + s))"); done
probe warm --agents "$agents" --passes 1 --hosts "${addrs[@]}"
python3 "$here/farm_hub_probe.py" quiet --idle 80 --max-seconds 90
sims_ready=$(python3 -c 'import time; print(repr(time.time()))')
echo "  waiting for the hub's next cycle (up to ${interval}s)..."
discovery="$(netns_farm_exec "$farm" 1 python3 - "$url" "$tmp/token" "$sessions" "$empty_cycle" "$sims_ready" <<'EOF'
import json, sys, time, urllib.request
url, token, want, empty, sims_ready = sys.argv[1], open(sys.argv[2]).read().strip(), int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
from datetime import datetime
def get(path):
    req = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)
def me():
    return [m for m in get("/api/cluster")["members"] if m.get("local")][0]
def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")[:26] + "+00:00").timestamp()
# the first cycle that began after every sim listened
status = None
deadline = time.time() + 900
while time.time() < deadline:
    m = me()
    at = m.get("last_scan_at")
    if at and at != empty and ts(at) >= sims_ready:
        status = m
        break
    time.sleep(0.2)
if status is None:
    sys.exit("no full cycle after the sims started")
t_all, polls, n = None, 0, 0
while time.time() < deadline:
    polls += 1
    n = get("/api/sessions")["count"]
    if n >= want:
        t_all = time.time()
        break
    time.sleep(0.25)
print(json.dumps({"cycle_ms": status["last_scan_ms"], "cycle_found": status["sessions_found"],
                  "ports_probed": status["ports_probed"], "cycle_began": status["last_scan_at"],
                  "began_to_all_ms": round((t_all - ts(status["last_scan_at"])) * 1000) if t_all else None,
                  "count": n, "polls": polls}))
EOF
)"
echo "  $discovery"

echo "3. memory..."
busy_heap=$(heap_kb "$hub")
# Right after a cycle the JDK's HTTP keep-alive cache still holds a connection (with its buffers) per agent just
# polled; it drops idle ones after 5 s. The inventory's own cost is what stays once they are gone.
sleep 8
full_heap=$(heap_kb "$hub"); full_rss=$(rss_kb "$hub")
jcmd "$hub" GC.class_histogram | sed -n '1,16p' > "$tmp/histogram.txt"
echo "  heap after GC ${busy_heap} KB right after the cycle, ${full_heap} KB 8 s later (baseline ${base_heap});" \
  "RSS ${full_rss} KB (baseline ${base_rss})"
sed -n '4,13p' "$tmp/histogram.txt" | sed 's/^/    /'

echo "4. selector lookups ($iterations each)..."
h5="$FARM_NET.$((100 + (hosts + 1) / 2))"
lookup="$(probe lookup --url "$url" --iterations "$iterations" --warmup 20 --selectors \
  "host=$h5 port=8042" "port=8042" "app=maya host=$h5" "host=$h5" "*")"
echo "  $lookup"

echo "5. broadcast print('ok') to all $sessions (1 cold + $runs timed)..."
bcast="$(probe broadcast --url "$url" --runs "$runs" --timeout 300)"
echo "  $bcast"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
kill "$hub" 2>/dev/null || true

python3 - "$discovery" "$lookup" "$bcast" "$base_heap" "$full_heap" "$base_rss" "$full_rss" "$sessions" "$hosts" \
  "$load" "$json_out" "$busy_heap" <<'EOF'
import json, os, statistics, sys
from datetime import datetime
d, lk, bc = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
base_heap, full_heap, base_rss, full_rss, n, hosts = (int(x) for x in sys.argv[4:10])
load, out, busy_heap = sys.argv[10], sys.argv[11], int(sys.argv[12])
def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")[:26] + "+00:00").timestamp()
timed = [r for r in bc if not r["cold"]]
for r in bc:
    r["job_ms"] = round((ts(r["last_finished_at"]) - ts(r["created_at"])) * 1000) if r["last_finished_at"] else None
r = {"date": os.popen("date -u +%F").read().strip(), "cores": os.cpu_count(), "hosts": hosts, "sessions": n,
     "discovery": d, "heap_baseline_kb": base_heap, "heap_full_kb": full_heap,
     "heap_per_session_bytes": round((full_heap - base_heap) * 1024 / n), "heap_after_cycle_kb": busy_heap,
     "heap_per_session_after_cycle_bytes": round((busy_heap - base_heap) * 1024 / n), "rss_baseline_kb": base_rss,
     "rss_full_kb": full_rss, "rss_per_session_bytes": round((full_rss - base_rss) * 1024 / n), "lookup": lk,
     "broadcast": bc, "broadcast_wall_median_ms": statistics.median(x["wall_ms"] for x in timed),
     "broadcast_job_median_ms": statistics.median(x["job_ms"] for x in timed), "loadavg_end": load}
if out:
    with open(out, "w") as f:
        json.dump(r, f, indent=1)
print()
print("== farm scale (%d cores, %s): %d sessions on %d hosts, one hub ==" % (r["cores"], r["date"], n, hosts))
print("discovery: cycle %d ms (found %d); cycle start -> all listed %s ms"
      % (d["cycle_ms"], d["cycle_found"], d["began_to_all_ms"]))
print("memory: heap %d -> %d KB = %d bytes/session (right after the cycle %d bytes/session); RSS %d -> %d KB"
      % (base_heap, full_heap, r["heap_per_session_bytes"], r["heap_per_session_after_cycle_bytes"], base_rss,
         full_rss))
for sel, v in lk.items():
    print("lookup %-32s %6d matches %9d bytes  p50 %7.2f  p99 %7.2f  max %7.2f ms"
          % ("'" + sel + "'", v["matches"], v["bytes"], v["p50_ms"], v["p99_ms"], v["max_ms"]))
for x in bc:
    print("broadcast %s wall %d ms, job %s ms, %s %s" % ("cold " if x["cold"] else "timed", x["wall_ms"], x["job_ms"],
                                                        {k: v for k, v in x["counts"].items() if v},
                                                        x.get("failures") or ""))
print("broadcast median: wall %d ms, job %d ms; load average at the end %s"
      % (r["broadcast_wall_median_ms"], r["broadcast_job_median_ms"], load))
EOF
