#!/usr/bin/env bash
# Benchmark: the SessionHub agent (headless session) against a seed-style Python session (SimpleXMLRPCServer in a
# thread next to the main loop, as the Blender add-on runs), with the same load generators, in one run.
#   1. server_data() throughput and p50/p99 latency, wrk with 8 connections, after a warm-up
#   2. main-loop frame time p50/p99 idle, then under a steady 1,000 server_data() requests/s
# usage: ops/bench/agent-bench.sh [--seconds 10]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=10
[ "${1:-}" = "--seconds" ] && seconds="$2"
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
[ -f "$root/ops/target/sessionhub.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
jar="$root/ops/target/sessionhub.jar"
work_java=150000   # per-frame evaluation work, chosen so both sessions idle at roughly 1 ms a frame
work_python=9000

# What this script starts stops when it stops, also on Ctrl-C, SIGTERM, SIGHUP and kill -9: ops/bin/lib/children.sh.
# shellcheck source=../bin/lib/children.sh
. "$root/ops/bin/lib/children.sh"
tmp="$(mktemp -d)"
remove_tmp() { rm -rf "$tmp"; }
children_on_exit remove_tmp
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

jport=$(free_port)
"$root/ops/bin/sessionhub" session --base-port "$jport" --max-port "$jport" --eval-work $work_java \
  --port-file "$tmp/java.port" > "$tmp/java.log" 2>&1 & children_add $!; jpid=$!
pport=$(free_port)
python3 "$here/seed_session.py" "$pport" --work $work_python > "$tmp/python.log" 2>&1 & children_add $!
for _ in $(seq 1 200); do [ -s "$tmp/java.port" ] && grep -q listening "$tmp/python.log" && break; sleep 0.1; done

frames() {  # frame stats of the session on port $1 as "p50 p99"
  if [ "$1" = "$jport" ]; then
    curl -s "http://127.0.0.1:$1/status" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["frame_p50_us"], d["frame_p99_us"])'
  else
    python3 -c "import xmlrpc.client as x; d=x.ServerProxy('http://127.0.0.1:$1/').frame_stats(); print(d['frame_p50_us'], d['frame_p99_us'])"
  fi
}
throughput() {  # wrk result line for port $1
  wrk -t2 -c8 -d3s -s "$here/server_data.lua" "http://127.0.0.1:$1/RPC2" > /dev/null   # warm-up
  wrk -t2 -c8 -d"${seconds}s" --timeout 5s -s "$here/server_data.lua" "http://127.0.0.1:$1/RPC2" | grep RESULT
}
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }

echo "warming both sessions up..."
python3 -c "import xmlrpc.client as x; x.ServerProxy('http://127.0.0.1:$jport/').command('x = 1')"
java -cp "$jar" dev.sessionhub.ops.bench.SteadyLoad "$jport" 1000 4 > /dev/null
java -cp "$jar" dev.sessionhub.ops.bench.SteadyLoad "$pport" 1000 4 > /dev/null

echo "1/2 server_data() throughput, wrk -c8 (${seconds}s each)..."
jt=$(throughput "$jport"); pt=$(throughput "$pport")

echo "2/2 frame times: 3 rounds of idle ${seconds}s / under a steady 1,000 req/s ${seconds}s, each session alone..."
# Each load runs 3 s longer than the window the session reports (its last 600 frames = 10 s), so the fresh
# generator JVM's start-up and JIT never fall inside a measured window. Medians over the rounds.
frame_rounds() {  # port -> lines "idle_p50 idle_p99 load_p50 load_p99"
  for _ in 1 2 3; do
    sleep "$((seconds + 1))"; idle=$(frames "$1")
    java -cp "$jar" dev.sessionhub.ops.bench.SteadyLoad "$1" 1000 "$((seconds + 3))" > "$tmp/load.$1"
    echo "$idle $(frames "$1")"
  done
}
median_col() { echo "$1" | awk -v c="$2" '{print $c}' | sort -n | sed -n 2p; }
jr=$(frame_rounds "$jport"); pr=$(frame_rounds "$pport")
j_idle="$(median_col "$jr" 1) $(median_col "$jr" 2)"; j_alone="$(median_col "$jr" 3) $(median_col "$jr" 4)"
p_idle="$(median_col "$pr" 1) $(median_col "$pr" 2)"; p_alone="$(median_col "$pr" 3) $(median_col "$pr" 4)"
rss=$(ps -o rss= -p "$jpid" | tr -d ' ')

jrate=$(python3 -c "print(round($(field "$jt" requests)/$(field "$jt" seconds)))")
prate=$(python3 -c "print(round($(field "$pt" requests)/$(field "$pt" seconds)))")
pct() { python3 -c "a,b=$1,$2; print('%+.1f%%' % (100.0*(b-a)/a if a else 0))"; }
echo
echo "== agent benchmark ($(nproc) cores, $(date -u +%F)) =="
printf "%-44s %18s %18s\n" "" "SessionHub agent" "seed-style Python"
printf "%-44s %18s %18s\n" "server_data() calls/s, 8 connections" "$jrate" "$prate"
printf "%-44s %18s %18s\n" "  p50 / p99 latency (us)" "$(field "$jt" p50_us) / $(field "$jt" p99_us)" "$(field "$pt" p50_us) / $(field "$pt" p99_us)"
printf "%-44s %18s %18s\n" "  errors" "$(field "$jt" errors)" "$(field "$pt" errors)"
printf "%-44s %18s\n" "  throughput ratio" "$(python3 -c "print('%.1fx' % ($jrate/$prate))")"
printf "%-44s %18s %18s\n" "frame p50 / p99 idle, median of 3 (us)" "${j_idle/ / / }" "${p_idle/ / / }"
printf "%-44s %18s %18s\n" "frame p50 / p99 at 1,000 req/s (us)" "${j_alone/ / / }" "${p_alone/ / / }"
printf "%-44s %18s %18s\n" "  p99 change vs idle" "$(pct "${j_idle#* }" "${j_alone#* }")" "$(pct "${p_idle#* }" "${p_alone#* }")"
printf "%-44s %18s %18s\n" "  achieved steady rate (last round)" "$(grep -o 'rate=[0-9]*' "$tmp/load.$jport")" "$(grep -o 'rate=[0-9]*' "$tmp/load.$pport")"
echo "rounds (idle p50 p99, load p50 p99), agent:"; echo "$jr" | sed 's/^/  /'
echo "rounds, seed-style Python:"; echo "$pr" | sed 's/^/  /'
printf "%-44s %18s\n" "agent session RSS after the run (MB)" "$((rss / 1024))"
