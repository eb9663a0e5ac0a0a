#!/usr/bin/env bash
# Benchmark: discovery of one host's 1,000 ports with 100 agents up, SessionHub against the seed's sequential
# Python loop (the Blender add-on README's `for port in range(...): server_data(port=port)`), in one run.
#   a. the seed loop, ops/bench/seed_scan.py (3 runs, median)
#   b. one-shot `sessionhub scan 127.0.0.1:RANGE --json` (3 runs, median; its took_ms and the wall time with JVM start)
#   c. a hub (`sessionhub hub --scan 127.0.0.1:RANGE --scan-interval 60s`): hub ready -> GET /api/sessions counts
#      100 (polled every 50 ms), and last_scan_ms of its first cycle from GET /api/cluster; then (unless
#      --no-second-cycle) the steady state: the median last_scan_ms of the last 10 of --steady-cycles cycles
#      (default 120, --scan-interval 1s: about two minutes), once the JIT has compiled the scan path, as on a hub
#      that has been running (after 30 cycles the JIT is still compiling it and cycles are ~2x slower)
# The range is 8000-8999 when all of it is free on 127.0.0.1, else the first free 1,000-port range found (printed).
# usage: ops/bench/scan-bench.sh [--seed-max-seconds 60] [--no-second-cycle] [--steady-cycles 120]
#        (about 3 minutes; 30 s without the steady state)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seed_max=60; second=1; steady_cycles=120
while [ $# -gt 0 ]; do
  case "$1" in
    --seed-max-seconds) seed_max="$2"; shift 2 ;;
    --no-second-cycle) second=0; shift ;;
    --steady-cycles) steady_cycles="$2"; shift 2 ;;
    *) echo "usage: $0 [--seed-max-seconds 60] [--no-second-cycle]" >&2; exit 2 ;;
  esac
done
[ -f "$root/ops/target/sessionhub.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
sessionhub="$root/ops/bin/sessionhub"
agents=100
span=1000

# What this script starts stops when it stops, also on Ctrl-C, SIGTERM, SIGHUP and kill -9: ops/bin/lib/children.sh.
# shellcheck source=../bin/lib/children.sh
. "$root/ops/bin/lib/children.sh"
tmp="$(mktemp -d)"
remove_tmp() { rm -rf "$tmp"; }
children_on_exit remove_tmp
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_range() {  # first base in 8000, 9000, ... 31000 whose $span ports all bind on 127.0.0.1 (below the ephemeral range)
  python3 - "$span" <<'EOF'
import socket, sys
span = int(sys.argv[1])
def free(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port)); return True
    except OSError:
        return False
    finally:
        s.close()
for base in [8000] + list(range(9000, 32000, 1000)):
    if all(free(p) for p in range(base, base + span)):
        print(base); break
EOF
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
now() { python3 -c 'import time; print(repr(time.time()))'; }

base=$(free_range)
[ -n "$base" ] || { echo "no free ${span}-port range on 127.0.0.1 between 8000 and 31999" >&2; exit 1; }
top=$((base + span - 1)); target="127.0.0.1:$base-$top"
if [ "$base" = 8000 ]; then echo "range: $base-$top (all free)"; else echo "range: $base-$top (8000-8999 is not all free)"; fi

echo "starting sessionhub sim --agents $agents on $base-$top..."
"$sessionhub" sim --agents $agents --base-port "$base" --max-port "$top" --ready-file "$tmp/sim.ports" \
  > "$tmp/sim.log" 2>&1 & children_add $!
for _ in $(seq 1 600); do [ -s "$tmp/sim.ports" ] && break; sleep 0.1; done
[ -s "$tmp/sim.ports" ] || { echo "sim did not start:" >&2; cat "$tmp/sim.log" >&2; exit 1; }
up=$(awk -v b="$base" -v t="$top" '$1>=b && $1<=t' "$tmp/sim.ports" | wc -l)
echo "  $(head -1 "$tmp/sim.log"); $up agents in range"
[ "$up" = "$agents" ] || { echo "expected $agents agents in $base-$top, got $up" >&2; exit 1; }

echo "a. seed loop (sequential Python, fresh ServerProxy per port), 3 runs..."
seed_runs=""; seed_found=""
for i in 1 2 3; do
  line=$(python3 "$here/seed_scan.py" "$base" "$((top + 1))" --host 127.0.0.1 --max-seconds "$seed_max")
  echo "  run $i: $line"
  read -r s f c < <(echo "$line" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["seconds"], d["sessions_found"], d["completed"])')
  [ "$c" = "True" ] || echo "  run $i stopped after ${seed_max}s: it did not cover the range"
  seed_runs="$seed_runs $s"; seed_found="$seed_found $f"
done

echo "b. sessionhub scan $target --json (one-shot, JVM start included), 3 runs..."
scan_took=""; scan_wall=""; scan_found=""
for i in 1 2 3; do
  t0=$(now)
  "$sessionhub" scan "$target" --json > "$tmp/scan.$i.json" 2> "$tmp/scan.$i.err"
  t1=$(now)
  read -r took found probed open < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["took_ms"], len(d["sessions"]), d["probed"], d["open"])' "$tmp/scan.$i.json")
  wall=$(python3 -c "print(round(($t1 - $t0) * 1000))")
  echo "  run $i: took_ms=$took wall_ms=$wall probed=$probed open=$open sessions=$found"
  scan_took="$scan_took $took"; scan_wall="$scan_wall $wall"; scan_found="$scan_found $found"
done

echo "c. sessionhub hub --scan $target --scan-interval 1s..."
http=$(free_port); hz=$(free_port)
t_launch=$(now)
"$sessionhub" hub --http-port "$http" --hz-port "$hz" --cluster "scanbench-$$-$RANDOM" --scan "$target" \
  --scan-interval 1s --ready-file "$tmp/hub.ready" > "$tmp/hub.log" 2>&1 & children_add $!
hub_json=$(python3 - "$tmp/hub.ready" "$t_launch" "$agents" "$second" "$steady_cycles" <<'EOF'
import json, os, sys, time, urllib.request
ready_file, t_launch, want, second = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
steady_cycles = int(sys.argv[5])
def get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)
deadline = time.time() + 120
while not (os.path.exists(ready_file) and os.path.getsize(ready_file) > 0):
    if time.time() > deadline: sys.exit("hub not ready after 120 s")
    time.sleep(0.01)
t_ready = time.time()
url = open(ready_file).read().strip()
count, polls, first = 0, 0, None
while time.time() < t_ready + 60:            # every 50 ms, at most 60 s
    count = get(url + "/api/sessions")["count"]; polls += 1
    first = count if first is None else first
    if count >= want: break
    time.sleep(0.05)
t_found = time.time()
me = None
while time.time() < t_found + 30:            # the first cycle's status is published when the cycle ends
    me = next((m for m in get(url + "/api/cluster")["members"] if m.get("local")), None)
    if me and me.get("last_scan_at"): break
    time.sleep(0.05)
first_at, me2, cycles = me.get("last_scan_at") if me else None, None, []
if second and first_at:
    print("  sampling the hub's next %d cycles (one a second; the steady state is the median of the last 10)..."
          % steady_cycles, file=sys.stderr)
    seen = {first_at}
    while time.time() < t_found + 30 + 2 * steady_cycles and len(cycles) < steady_cycles:
        m = next((m for m in get(url + "/api/cluster")["members"] if m.get("local")), None)
        if m and m.get("last_scan_at") and m["last_scan_at"] not in seen:
            seen.add(m["last_scan_at"]); cycles.append(m["last_scan_ms"]); me2 = m
        time.sleep(0.2)
steady = sorted(cycles[-10:])[len(cycles[-10:]) // 2] if cycles else None
print(json.dumps({"ready_ms": round((t_ready - t_launch) * 1000), "count": count, "first_count": first,
                  "polls": polls, "found_after_ready_ms": round((t_found - t_ready) * 1000),
                  "found_after_launch_ms": round((t_found - t_launch) * 1000),
                  "last_scan_ms": me.get("last_scan_ms") if me else None,
                  "ports_probed": me.get("ports_probed") if me else None,
                  "sessions_found": me.get("sessions_found") if me else None,
                  "second_scan_ms": steady, "cycles_ms": cycles,
                  "second_sessions_found": me2.get("sessions_found") if me2 else None}))
EOF
) || { echo "hub measurement failed:" >&2; tail -20 "$tmp/hub.log" >&2; exit 1; }
echo "  $hub_json"
hub() { echo "$hub_json" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

seed_s=$(echo "$seed_runs" | median); seed_ms=$(python3 -c "print(round($seed_s * 1000))")
took_ms=$(echo "$scan_took" | median); wall_ms=$(echo "$scan_wall" | median)
ratio() { python3 -c "a,b=$1,$2; print('%.1fx' % (a/b) if b else 'n/a')"; }
echo
echo "== scan benchmark ($(nproc) cores, $(date -u +%F)): $target, $agents agents up (sessionhub sim) =="
printf "%-48s %12s %14s %16s\n" "" "time (ms)" "sessions found" "vs seed loop"
printf "%-48s %12s %14s %16s\n" "a. seed loop, sequential Python (median of 3)" "$seed_ms" "${seed_found# }" "1.0x"
printf "%-48s %12s %14s %16s\n" "b. sessionhub scan, took_ms (median of 3)" "$took_ms" "${scan_found# }" "$(ratio "$seed_ms" "$took_ms")"
printf "%-48s %12s %14s %16s\n" "   the same, wall time with JVM start" "$wall_ms" "" "$(ratio "$seed_ms" "$wall_ms")"
printf "%-48s %12s %14s %16s\n" "c. hub: ready -> /api/sessions counts $agents" "$(hub found_after_ready_ms)" "$(hub count)" "$(ratio "$seed_ms" "$(hub found_after_ready_ms)")"
printf "%-48s %12s %14s %16s\n" "   hub: launch -> /api/sessions counts $agents" "$(hub found_after_launch_ms)" "" "$(ratio "$seed_ms" "$(hub found_after_launch_ms)")"
printf "%-48s %12s %14s %16s\n" "   hub: first cycle, last_scan_ms" "$(hub last_scan_ms)" "$(hub sessions_found)" "$(ratio "$seed_ms" "$(hub last_scan_ms)")"
if [ "$second" = 1 ]; then
printf "%-48s %12s %14s %16s\n" "   hub: steady cycle (median of the last 10 of $steady_cycles)" "$(hub second_scan_ms)" "$(hub second_sessions_found)" "$(ratio "$seed_ms" "$(hub second_scan_ms)")"
fi
echo "runs (ms): seed$(for s in $seed_runs; do printf ' %s' "$(python3 -c "print(round($s*1000))")"; done);" \
  "scan took$scan_took; scan wall$scan_wall"
echo "hub: launch -> ready $(hub ready_ms) ms; count at the first poll after ready $(hub first_count);" \
  "$(hub polls) polls; first cycle probed $(hub ports_probed) ports"
echo "target: >= 5x faster than the seed loop"
