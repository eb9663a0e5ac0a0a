#!/usr/bin/env bash
# Benchmark: a young session's first command. Three configurations of the same build, in the same run:
#   baseline     SESSIONHUB_PYTHON_WARMUP=off SESSIONHUB_CDS=off: the first command loads Jython (as before issue 18)
#   warm-up      the background Python warm-up on, no class-data archive
#   warm-up+cds  this build's default: warm-up and the AppCDS archive built by `mvn package`
# Each batch starts N `sessionhub session` processes at once (as ops/bin/farm does) and for each session measures
#   launch -> port bound        python3 connecting every 5 ms
#   server_data() right after   the first call, as discovery would send it, while the warm-up runs
#   first command               `print(1)` through python3 xmlrpc.client, DELAY s after the port was bound
#   tenth command               `print(10)` (commands 2-9 in between; every command is new source, so compiled)
#   RSS after the first command VmRSS of the session's JVM
# Batches take turns, ROUNDS of each; medians over all sessions of a configuration.
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
    -h|--help) sed -n "2,15p" "$0"; exit 0 ;;
    *) echo "first-command-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -f "$root/ops/target/sessionhub.jar" ]; then
  (cd "$root" && mvn -q -B -ntp -DskipTests package)
fi
[ -f "$root/ops/target/sessionhub-session.jsa" ] || echo "first-command-bench: no CDS archive (mvn package makes it);" \
  "warm-up+cds runs without it" >&2
out="$(mktemp)"; trap 'rm -f "$out"' EXIT
echo "first-command-bench: $sessions sessions per batch, first command at T+${delay}s after bind, $rounds rounds;" \
  "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for mode in baseline:off:off warm-up:on:off warm-up+cds:on:on; do
    IFS=: read -r label warmup cds <<< "$mode"
    python3 "$here/first_command.py" "$root/ops/bin/sessionhub" "$sessions" "$delay" "$label" \
      SESSIONHUB_PYTHON_WARMUP="$warmup" SESSIONHUB_CDS="$cds" | tee -a "$out" | sed "s/^/  round $round: /"
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
modes = ("warm-up+cds", "warm-up", "baseline")
print("%-31s %28s %28s %28s" % (("median (min-max) over sessions",) + modes))
for key, name, unit in [("bind_ms", "launch -> port bound", "ms"), ("server_data_ms", "first server_data() after bind", "ms"),
                        ("first_ms", "first command (print(1))", "ms"), ("tenth_ms", "tenth command (print(10))", "ms"),
                        ("rss_mb", "RSS after the first command", "MB"), ("python_ready_ms", "Python warm-up took", "ms")]:
    cells = []
    for mode in modes:
        m = med(mode, key)
        if m is None or (key == "python_ready_ms" and mode == "baseline"):
            cells.append("-")
        else:
            cells.append("%.0f %s (%.0f-%.0f, n=%d)" % (m[0], unit, m[1], m[2], m[3]))
    print("%-31s %28s %28s %28s" % tuple([name] + cells))
base = med("baseline", "first_ms")
for mode in modes[:2]:
    m = med(mode, "first_ms")
    if m and base:
        print("first command, %s: %.1fx faster than the baseline" % (mode, base[0] / m[0]))
b, c = med("baseline", "bind_ms"), med("warm-up+cds", "bind_ms")
if b and c:
    print("launch -> port bound with the CDS archive: %.0f%% of the baseline's" % (100 * c[0] / b[0]))
sys.exit(1 if bad else 0)
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
