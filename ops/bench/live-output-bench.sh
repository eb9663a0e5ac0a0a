#!/usr/bin/env bash
# Benchmark: live output latency, print -> SSE client and print -> CLI stdout, for a session followed by the hub the
# client talks to and one followed by another hub, p50/p99; beside the baseline from the same runs (the output
# arriving whole at the end, as stock command() and agents without live output give it). See live_output.py.
# usage: ops/bench/live-output-bench.sh [--rounds 3] [--lines 40] [--interval 0.05]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds=3; lines=40; interval=0.05
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    -h|--help) sed -n "2,5p" "$0"; exit 0 ;;
    *) echo "live-output-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -f "$root/ops/target/sessionhub.jar" ]; then
  (cd "$root" && mvn -q -B -ntp -DskipTests package)
fi
echo "live-output-bench: load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/live_output.py" "$root/ops/bin/sessionhub" "$rounds" "$lines" "$interval"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
