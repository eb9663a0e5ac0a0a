#!/usr/bin/env bash
# Benchmark: a young session's first command, with the background Python warm-up (this build's default) beside
# the same build with it off (SESSIONHUB_PYTHON_WARMUP=off: the first command loads Jython, as before issue 18).
# Each batch starts N `sessionhub session` processes at once (as ops/bin/farm does) and for each session measures
#   launch -> port bound        python3 connecting every 5 ms
#   server_data() right after   the first call, as discovery would send it, while the warm-up runs
#   first command               `print(1)` through python3 xmlrpc.client, DELAY s after the port was bound
#   tenth command               `print(10)` (commands 2-9 in between; every command is new source, so compiled)
#   RSS after the first command VmRSS of the session's JVM
# Batches alternate off/on, ROUNDS of each; medians over all sessions of a mode.
# usage: ops/bench/first-command-bench.sh [--sessions 3] [--delay 3] [--rounds 2]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sessions=3; delay=3; rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions="$2"; shift 2 ;;
    --delay) delay="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "first-command-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -f "$root/ops/target/sessionhub.jar" ]; then
  (cd "$root" && mvn -q -B -ntp -DskipTests package)
fi
out="$(mktemp)"; trap 'rm -f "$out"' EXIT
echo "first-command-bench: $sessions sessions per batch, first command at T+${delay}s after bind, $rounds rounds;" \
  "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for mode in off on; do
    SESSIONHUB_PYTHON_WARMUP=$mode python3 "$here/first_command.py" "$root/ops/bin/sessionhub" "$sessions" "$delay" \
      "$mode" | tee -a "$out" | sed "s/^/  round $round: /"
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
bad = [r for r in rows if "error" in r]
for r in bad:
    print("  a session failed (%s): %s" % (r["label"], r["error"]))
def med(mode, key):
    vals = [r[key] for r in rows if r["label"] == mode and key in r]
    return (statistics.median(vals), min(vals), max(vals), len(vals)) if vals else None
print()
print("%-34s %26s %26s" % ("median (min-max) over sessions", "warm-up on (this build)", "baseline: warm-up off"))
for key, name, unit in [("bind_ms", "launch -> port bound", "ms"), ("server_data_ms", "first server_data() after bind", "ms"),
                        ("first_ms", "first command (print(1))", "ms"), ("tenth_ms", "tenth command (print(10))", "ms"),
                        ("rss_mb", "RSS after the first command", "MB"), ("python_ready_ms", "warm-up took", "ms")]:
    cells = []
    for mode in ("on", "off"):
        m = med(mode, key)
        if m is None or (key == "python_ready_ms" and mode == "off"):
            cells.append("-")
        else:
            cells.append("%.0f %s (%.0f-%.0f, n=%d)" % (m[0], unit, m[1], m[2], m[3]))
    print("%-34s %26s %26s" % (name, cells[0], cells[1]))
on, off = med("on", "first_ms"), med("off", "first_ms")
if on and off:
    print("first command: %.1fx faster with the warm-up" % (off[0] / on[0]))
sys.exit(1 if bad else 0)
PY
