#!/usr/bin/env bash
# Benchmark: discovery of a 20-host x 100-port range on the network-namespace farm (ops/netns/netns-farm.sh), 5 of
# the hosts dead (connects time out), the other 15 each a namespace running `sessionhub sim --agents K` on its
# first ports. In one run, over the same range:
#   a. the seed's sequential Python loop (ops/bench/seed_scan.py --hosts ...), stopped after --seed-max-seconds
#   b. one-shot `sessionhub scan RANGE --json` (JVM start included)
#   c. one hub scanning the range: launch -> ready -> GET /api/sessions counts all; its first cycle and
#      --cycles warm cycles (last_scan_ms from GET /api/cluster)
#   d. two hubs (one Hazelcast cluster across two namespaces), launched together: the same figures; each scans its
#      share of the hosts, so the range is covered once per max(cycle of hub 1, cycle of hub 2)
# Needs root (network namespaces). Everything runs inside the farm's namespaces; the farm is removed at exit.
# usage: ops/bench/farm-scan-bench.sh [--agents 10] [--seed-max-seconds 60] [--cycles 3] [--interval 3]
#        [--hosts 20] [--dead 4,8,12,16,20] [--json FILE]                                    (about 3 minutes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../netns/netns-farm.sh
. "$root/ops/netns/netns-farm.sh"
agents=10; seed_max=60; cycles=3; interval=3; slots=20; dead="4,8,12,16,20"; json_out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --agents) agents="$2"; shift 2 ;;
    --seed-max-seconds) seed_max="$2"; shift 2 ;;
    --cycles) cycles="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --hosts) slots="$2"; shift 2 ;;
    --dead) dead="$2"; shift 2 ;;
    --json) json_out="$2"; shift 2 ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
  esac
done
why="$(netns_farm_available)" || { echo "farm-scan-bench: cannot build a netns farm here: $why" >&2; exit 1; }
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
farm="$(netns_farm_up --slots "$slots" --dead "$dead" --owner $$)"
netns_farm_env "$farm"
echo "farm $farm: $FARM_SUBNET, $slots hosts ($FARM_NET.101-$((100 + slots))), dead: ${dead:-none}"
live=(); for s in $(seq 1 "$slots"); do netns_farm_is_dead "$s" || live+=("$s"); done
want=$(( ${#live[@]} * agents ))
range="$FARM_NET.101-$((100 + slots)):8000-8099"
hosts_csv="$(for s in $(seq 1 "$slots"); do printf '%s,' "$FARM_NET.$((100 + s))"; done)"; hosts_csv="${hosts_csv%,}"
token="bench-$farm-$RANDOM$RANDOM"; printf '%s\n' "$token" > "$tmp/token"; chmod 600 "$tmp/token"
now() { python3 -c 'import time; print(repr(time.time()))'; }
probe() { netns_farm_exec "$farm" 1 python3 "$here/farm_hub_probe.py" --token-file "$tmp/token" "$@"; }

echo "checking the dead hosts from host 1 (connects must time out, not be refused)..."
netns_farm_check_dead "$farm" 1 | grep -c ' ok$' | xargs -I{} echo "  {} of $((slots - 1)) checks as expected"
netns_farm_check_dead "$farm" 1 > /dev/null || { echo "dead hosts do not behave" >&2; exit 1; }

echo "starting ${#live[@]} sims x $agents agents (ports 8000-$((8000 + agents - 1)) on each live host)..."
for s in "${live[@]}"; do
  netns_farm_exec "$farm" "$s" "$sessionhub" sim --agents "$agents" --bind "$FARM_NET.$((100 + s))" \
    --base-port 8000 --max-port 8099 --token-file "$tmp/token" --ready-file "$tmp/sim$s.ports" \
    > "$tmp/sim$s.log" 2>&1 &
  children_add $!
done
for s in "${live[@]}"; do
  for _ in $(seq 1 1200); do [ -s "$tmp/sim$s.ports" ] && break; sleep 0.1; done
  [ -s "$tmp/sim$s.ports" ] || { echo "sim on host $s did not start:" >&2; tail "$tmp/sim$s.log" >&2; exit 1; }
done
echo "  $want sessions on ${#live[@]} hosts"
live_addrs=(); for s in "${live[@]}"; do live_addrs+=("$FARM_NET.$((100 + s))"); done
echo "warming the sims (two server_data() calls on every session, so no JVM is cold when measured)..."
netns_farm_exec "$farm" 1 python3 "$here/farm_hub_probe.py" warm --token-file "$tmp/token" --agents "$agents" \
  --hosts "${live_addrs[@]}"
python3 "$here/farm_hub_probe.py" quiet --idle 80 --max-seconds 90

echo "a. seed loop over $slots hosts x 100 ports from host 1 (bounded at ${seed_max}s)..."
seed="$(netns_farm_exec "$farm" 1 python3 "$here/seed_scan.py" 8000 8100 --hosts "$hosts_csv" --max-seconds "$seed_max" \
  --token-file "$tmp/token")"
echo "  $seed"

echo "b. sessionhub scan $range --json (one-shot, JVM start included)..."
t0=$(now)
netns_farm_exec "$farm" 1 env SESSIONHUB_TOKEN_FILE="$tmp/token" "$sessionhub" scan "$range" --json \
  > "$tmp/scan.json" 2> "$tmp/scan.err" || true
t1=$(now)
scan="$(python3 - "$tmp/scan.json" "$t0" "$t1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps({"took_ms": d["took_ms"], "wall_ms": round((float(sys.argv[3]) - float(sys.argv[2])) * 1000),
                  "probed": d["probed"], "open": d["open"], "sessions": len(d["sessions"])}))
EOF
)" || { echo "scan failed:" >&2; cat "$tmp/scan.err" >&2; exit 1; }
echo "  $scan"

start_hub() {  # start_hub SLOT PEER_SLOT TAG CLUSTER: prints the hub's pid (ip netns exec and the launcher exec)
  local slot="$1" peer="$2" tag="$3" cluster="$4" member=()
  [ -n "$peer" ] && member=(--member "$FARM_NET.$((100 + peer)):5701")
  rm -f "$tmp/$tag.ready"
  ip netns exec "$(netns_farm_ns "$farm" "$slot")" "$sessionhub" hub --bind "$FARM_NET.$((100 + slot))" \
    --http-port 7700 --hz-port 5701 --cluster "bench-$farm-$cluster" "${member[@]}" --scan "$range" \
    --scan-interval "${interval}s" --token-file "$tmp/token" --ready-file "$tmp/$tag.ready" > "$tmp/$tag.log" 2>&1 &
  echo $!
}
stop() { kill "$@" 2>/dev/null || true; for p in "$@"; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done; }

echo "c. one hub on host 1 scanning $range every ${interval}s..."
launched=$(now)
h1=$(start_hub 1 "" one one)
one="$(probe discovery --ready-files "$tmp/one.ready" --launched "$launched" --want "$want" --interval "$interval" \
  --cycles "$cycles")" || { tail -n 20 "$tmp/one.log" >&2; exit 1; }
stop "$h1"
echo "  $one"

echo "d. two hubs on hosts 1 and 2, one cluster, launched together..."
launched=$(now)
h1=$(start_hub 1 2 two1 two); h2=$(start_hub 2 1 two2 two)
two="$(probe discovery --ready-files "$tmp/two1.ready,$tmp/two2.ready" --launched "$launched" --want "$want" \
  --interval "$interval" --cycles "$cycles")" || { tail -n 20 "$tmp/two1.log" "$tmp/two2.log" >&2; exit 1; }
stop "$h1" "$h2"
echo "  $two"

python3 - "$seed" "$scan" "$one" "$two" "$want" "$slots" "$dead" "$agents" "$json_out" <<'EOF'
import json, os, statistics, sys
seed, scan, one, two = (json.loads(x) for x in sys.argv[1:5])
want, slots, dead, agents, out = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], int(sys.argv[8]), sys.argv[9]
def cycles(d):
    c = list(d["cycles"].values())
    first = [m[0] for m in c]
    warm = [m[1:] for m in c]
    return first, warm
def warm_cover(d):
    # per round k, the range is covered once every hub has finished its k-th warm cycle: the slowest hub's time
    first, warm = cycles(d)
    rounds = min(len(w) for w in warm)
    return [max(w[k]["last_scan_ms"] for w in warm) for k in range(rounds)]
one_first, _ = cycles(one); two_first, two_warm = cycles(two)
r = {"date": os.popen("date -u +%F").read().strip(), "cores": os.cpu_count(), "hosts": slots, "dead": dead,
     "agents_per_host": agents, "sessions": want, "seed": seed, "scan": scan,
     "one": {"launch_to_ready_ms": one["launch_to_ready_ms"], "ready_to_all_ms": one["ready_to_all_ms"],
             "count": one["count"], "first_cycle_ms": one_first[0]["last_scan_ms"],
             "warm_cycles_ms": warm_cover(one), "warm_median_ms": statistics.median(warm_cover(one))},
     "two": {"launch_to_ready_ms": two["launch_to_ready_ms"], "ready_to_all_ms": two["ready_to_all_ms"],
             "count": two["count"], "cluster_size": two["cluster_size"],
             "first_cycles_ms": [f["last_scan_ms"] for f in two_first],
             "first_cycles_hosts": [f["hosts_owned"] for f in two_first],
             "warm_hosts": [w[-1]["hosts_owned"] for w in two_warm],
             "warm_cycles_ms": warm_cover(two), "warm_median_ms": statistics.median(warm_cover(two))}}
if out:
    with open(out, "w") as f:
        json.dump(r, f, indent=1)
s = seed
print()
print("== farm discovery (%d cores, %s): %d hosts x 100 ports, dead %s, %d sessions ==" % (r["cores"], r["date"], slots, dead, want))
print("a. seed loop: %d of %d ports in %.1f s, %d of %d sessions found, completed=%s, stuck on %s"
      % (s["ports_scanned"], s["ports_total"], s["seconds"], s["sessions_found"], want, s["completed"], s["stuck_on"]))
print("b. sessionhub scan: took_ms %d, wall %d ms, probed %d, open %d, sessions %d"
      % (scan["took_ms"], scan["wall_ms"], scan["probed"], scan["open"], scan["sessions"]))
for name in ("one", "two"):
    h = r[name]
    print("%s hub(s): launch->ready %d ms, ready->all %d ms (count %d); first cycle(s) %s ms; warm cycles %s ms (median %d)"
          % ("c. one" if name == "one" else "d. two", h["launch_to_ready_ms"], h["ready_to_all_ms"], h["count"],
             h.get("first_cycle_ms", h.get("first_cycles_ms")), h["warm_cycles_ms"], h["warm_median_ms"]))
print("two hubs: hosts owned in the first cycles %s, in the last warm cycles %s"
      % (r["two"]["first_cycles_hosts"], r["two"]["warm_hosts"]))
EOF
