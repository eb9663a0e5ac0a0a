#!/usr/bin/env bash
# Plots the farm benchmarks' JSON results (ops/bench/results/) with gnuplot (Debian's gnuplot-nox):
#   farm-scale.png  discovery, broadcast and lookups against the number of sessions (farm-scale-bench.sh runs)
#   farm-hosts.png  a scan cycle against the number of hosts, one hub and two (farm-scan-bench.sh runs)
# usage: ops/bench/plot-farm.sh [RESULTS_DIR]      (default ops/bench/results; writes the PNGs there)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:-$here/results}"
command -v gnuplot >/dev/null 2>&1 || { echo "plot-farm: needs gnuplot (apt-get install gnuplot-nox)" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

python3 - "$dir" "$tmp" <<'EOF'
import glob, json, os, sys
d, tmp = sys.argv[1], sys.argv[2]
rows = []
for f in glob.glob(os.path.join(d, "scale-*.json")):
    r = json.load(open(f))
    lk = r["lookup"]
    one = next(v for k, v in lk.items() if " port=" in k and k.startswith("host="))
    host = next(v for k, v in lk.items() if k.startswith("host=") and " " not in k)
    rows.append((r["sessions"], r["discovery"]["cycle_ms"] / 1000, r["broadcast_job_median_ms"] / 1000,
                 r["broadcast_wall_median_ms"] / 1000, one["p99_ms"], host["p99_ms"], lk["*"]["p99_ms"],
                 r["heap_per_session_bytes"] / 1024))
with open(os.path.join(tmp, "scale.dat"), "w") as out:
    for row in sorted(rows):
        out.write(" ".join(str(x) for x in row) + "\n")
hosts = []
for f in glob.glob(os.path.join(d, "scan-*.json")):
    r = json.load(open(f))
    hosts.append((r["hosts"], r["one"]["warm_median_ms"] / 1000, r["two"]["warm_median_ms"] / 1000,
                  r["one"]["first_cycle_ms"] / 1000, r["sessions"]))
with open(os.path.join(tmp, "hosts.dat"), "w") as out:
    for row in sorted(hosts):
        out.write(" ".join(str(x) for x in row) + "\n")
EOF

if [ -s "$tmp/scale.dat" ]; then
gnuplot <<EOF
set terminal pngcairo size 1100,420 font "DejaVu Sans,10"
set output "$dir/farm-scale.png"
set multiplot layout 1,2 title "One hub, sessionhub sim on 10 namespaced hosts, 2 cores"
set key top left
set grid
set xlabel "sessions in the inventory"
set ylabel "seconds"
set xrange [0:*]
set yrange [0:*]
set title "discovery and broadcast to all"
plot "$tmp/scale.dat" using 1:2 with linespoints lw 2 pt 7 title "discovery: one scan cycle", \
     "" using 1:3 with linespoints lw 2 pt 5 title "broadcast to all: the job (median of 3)", \
     "" using 1:4 with linespoints lw 1 pt 4 dt 2 title "broadcast to all: client wall time"
set title "selector lookup, GET /api/sessions p99"
set ylabel "milliseconds (log)"
set logscale y
set yrange [1:*]
plot "$tmp/scale.dat" using 1:5 with linespoints lw 2 pt 7 title "1 match", \
     "" using 1:6 with linespoints lw 2 pt 5 title "one host's sessions (n/10)", \
     "" using 1:7 with linespoints lw 2 pt 9 title "all sessions (the JSON grows with n)"
unset multiplot
EOF
echo "wrote $dir/farm-scale.png"
fi

if [ -s "$tmp/hosts.dat" ]; then
gnuplot <<EOF
set terminal pngcairo size 640,420 font "DejaVu Sans,10"
set output "$dir/farm-hosts.png"
set title "A scan cycle over H hosts x 100 ports, a quarter of them dead\n(10 sessions on each live host, 2 cores)"
set key top left
set grid
set xlabel "hosts in the range"
set ylabel "seconds"
set xrange [0:*]
set yrange [0:*]
plot "$tmp/hosts.dat" using 1:2 with linespoints lw 2 pt 7 title "one hub, warm cycle (median)", \
     "" using 1:3 with linespoints lw 2 pt 5 title "two hubs, each its share (slower of the two, median)", \
     "" using 1:4 with linespoints lw 1 pt 4 dt 2 title "one hub, first (cold) cycle"
EOF
echo "wrote $dir/farm-hosts.png"
fi
