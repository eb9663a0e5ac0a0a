#!/usr/bin/env bash
# Benchmark: the SessionHub Blender add-on against the original add-on's design (a stock single-threaded
# SimpleXMLRPCServer, backlog 5, on a thread beside the main loop) in the same real Blender (`blender -b`), one
# session at a time, the same load generators:
#   1. first command latency (a fresh session's first command, as a python3 client sees it)
#   2. server_data() throughput, p50/p99/max latency with wrk at 8 connections, after a warm-up (a max over 1 s is
#      a SYN retry: the listen backlog overflowed)
#   3. main-loop frame time p50/p99 idle, then under a steady 1,000 server_data() calls/s (--rounds rounds, medians;
#      a p99 of 600 frames is their 6th slowest, so single rounds spread widely: more rounds, a steadier median)
# Both sessions run ops/bench/blender_bench_loop.py on Blender's main thread (60 fps, ~1 ms of bpy work a frame).
# usage: ops/bench/blender-bench.sh [--seconds 10] [--rounds 9]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=10; round_count=9
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --rounds) round_count="$2"; shift 2 ;;
    *) echo "usage: $0 [--seconds 10] [--rounds 9]" >&2; exit 2 ;;
  esac
done
command -v blender >/dev/null || { echo "blender-bench: needs blender (apt-get install blender)" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
[ -f "$root/ops/target/sessionhub.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
jar="$root/ops/target/sessionhub.jar"

tmp="$(mktemp -d)"; pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
"$root/ops/bin/sessionhub" python-agent --out "$tmp/files" > /dev/null

start() {  # kind port -> starts Blender, waits until it listens; sets pid
  local kind=$1 port=$2 script
  mkdir -p "$tmp/$kind"
  if [ "$kind" = original ]; then script="$here/blender_original_addon.py"; else script="$here/blender_sessionhub_bench.py"; fi
  BENCH_PORT=$port SESSIONHUB_BASE_PORT=$port SESSIONHUB_MAX_PORT=$port \
    SESSIONHUB_ADDON_ZIP="$tmp/files/sessionhub_blender.zip" BLENDER_USER_CONFIG="$tmp/$kind/config" \
    BLENDER_USER_SCRIPTS="$tmp/$kind/scripts" blender -b --factory-startup --python "$script" \
    > "$tmp/$kind.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q '^listening' "$tmp/$kind.log" && return 0; sleep 0.1; done
  echo "blender-bench: $kind session did not start:"; cat "$tmp/$kind.log"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
first_command() {  # port -> ms of the first command
  python3 -c "
import time, xmlrpc.client as x
p = x.ServerProxy('http://127.0.0.1:$1/', allow_none=True)
p.server_data()
t = time.perf_counter(); p.command('x = 1'); print('%.1f' % ((time.perf_counter() - t) * 1000))"
}
frames() {  # kind port -> "p50 p99"
  python3 -c "
import xmlrpc.client as x
p = x.ServerProxy('http://127.0.0.1:$2/', allow_none=True)
d = p.frame_stats() if '$1' == 'original' else p.evaluate('frame_stats()')
print(d['frame_p50_us'], d['frame_p99_us'])"
}
throughput() {  # port -> wrk RESULT line
  wrk -t2 -c8 -d3s -s "$here/server_data_max.lua" "http://127.0.0.1:$1/RPC2" > /dev/null
  wrk -t2 -c8 -d"${seconds}s" --timeout 5s -s "$here/server_data_max.lua" "http://127.0.0.1:$1/RPC2" | grep RESULT
}
frame_rounds() {  # kind port -> lines "idle_p50 idle_p99 load_p50 load_p99"
  for _ in $(seq 1 "$round_count"); do
    sleep "$((seconds + 1))"; idle=$(frames "$1" "$2")
    java -cp "$jar" dev.sessionhub.ops.bench.SteadyLoad "$2" 1000 "$((seconds + 3))" > "$tmp/load.$1"
    echo "$idle $(frames "$1" "$2")"
  done
}
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
median_col() { echo "$1" | awk -v c="$2" '{print $c}' | sort -n | sed -n "$(( (round_count + 1) / 2 ))p"; }

declare -A first rate result rounds
for kind in original sessionhub; do
  port=$(free_port)
  echo "$kind: starting Blender on port $port..."
  start "$kind" "$port"
  first[$kind]=$(first_command "$port")
  echo "$kind: server_data() throughput, wrk -c8 ${seconds}s..."
  result[$kind]=$(throughput "$port")
  echo "$kind: frame times, $round_count rounds of idle / a steady 1,000 req/s..."
  rounds[$kind]=$(frame_rounds "$kind" "$port")
  rate[$kind]=$(python3 -c "print(round($(field "${result[$kind]}" requests)/$(field "${result[$kind]}" seconds)))")
  stop
done

pct() { python3 -c "a,b=$1,$2; print('%+.1f%%' % (100.0*(b-a)/a if a else 0))"; }
o="${result[original]}"; s="${result[sessionhub]}"
oi="$(median_col "${rounds[original]}" 1) $(median_col "${rounds[original]}" 2)"
ol="$(median_col "${rounds[original]}" 3) $(median_col "${rounds[original]}" 4)"
si="$(median_col "${rounds[sessionhub]}" 1) $(median_col "${rounds[sessionhub]}" 2)"
sl="$(median_col "${rounds[sessionhub]}" 3) $(median_col "${rounds[sessionhub]}" 4)"
echo
echo "== Blender add-on benchmark ($(nproc) cores, $(date -u +%F), $(blender --version 2>/dev/null | head -1)) =="
printf "%-44s %20s %20s\n" "" "SessionHub add-on" "original add-on"
printf "%-44s %20s %20s\n" "first command latency (ms)" "${first[sessionhub]}" "${first[original]}"
printf "%-44s %20s %20s\n" "server_data() calls/s, 8 connections" "${rate[sessionhub]}" "${rate[original]}"
printf "%-44s %20s %20s\n" "  p50 / p99 / max latency (us)" \
  "$(field "$s" p50_us) / $(field "$s" p99_us) / $(field "$s" max_us)" "$(field "$o" p50_us) / $(field "$o" p99_us) / $(field "$o" max_us)"
printf "%-44s %20s %20s\n" "  errors" "$(field "$s" errors)" "$(field "$o" errors)"
printf "%-44s %20s\n" "  throughput ratio" "$(python3 -c "print('%.1fx' % (${rate[sessionhub]}/${rate[original]}))")"
printf "%-44s %20s %20s\n" "frame p50 / p99 idle, median of $round_count (us)" "${si/ / / }" "${oi/ / / }"
printf "%-44s %20s %20s\n" "frame p50 / p99 at 1,000 req/s (us)" "${sl/ / / }" "${ol/ / / }"
printf "%-44s %20s %20s\n" "  p99 change vs idle" "$(pct "${si#* }" "${sl#* }")" "$(pct "${oi#* }" "${ol#* }")"
printf "%-44s %20s %20s\n" "  achieved steady rate (last round)" "$(grep -o 'rate=[0-9]*' "$tmp/load.sessionhub" || true)" "$(grep -o 'rate=[0-9]*' "$tmp/load.original" || true)"
echo "rounds (idle p50 p99, load p50 p99), SessionHub:"; echo "${rounds[sessionhub]}" | sed 's/^/  /'
echo "rounds, original:"; echo "${rounds[original]}" | sed 's/^/  /'
