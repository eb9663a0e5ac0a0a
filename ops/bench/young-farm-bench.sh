#!/usr/bin/env bash
# Benchmark: a young farm, every program started at once and measured from its first second (issue 18), for two
# configurations of the same build taking turns in the same run:
#   current    this build's defaults (SESSIONHUB_PYTHON_WARMUP and SESSIONHUB_CDS removed from the environment:
#              sessions and the sim warm their Python in the background after binding; sessions start with the
#              AppCDS archive ops/target/sessionhub-session.jsa that `mvn package` builds)
#   baseline   SESSIONHUB_PYTHON_WARMUP=off SESSIONHUB_CDS=off: Jython loads on the first command and sessions
#              start without the archive, as before issue 18 (the hubs run the same code in both)
# 1. cluster: two `sessionhub hub` in one Hazelcast cluster on loopback (--member each other, --rate-limit 0 as in
#    broadcast-bench.sh, both --scan one free range, --scan-interval 5s), --sessions 4 `sessionhub session` (each
#    on its own port of the range, announcing to hub 1 or 2 in turn) and `sessionhub sim --agents 200` (found by
#    the scan), all launched within a few ms. Measured: hub launch -> ready file; session launch -> port bound
#    (connect every 5 ms); sim launch -> all agents listening; launch -> BOTH hubs' GET /api/sessions count all
#    204. Then, 10 s later (--settle), the first broadcast of print(1) to '*' through hub 1 (POST /api/broadcast,
#    wait:true; client wall time, the slowest target's duration_ms; all 204 results must be ok); --warm 20 more
#    broadcasts of print('ok'), median wall time; the seed loop (ops/bench/seed_broadcast.py: sequential, a fresh
#    ServerProxy per port, print('ok')) over the same 204 ports, 3 runs, median; ratios seed/warm and seed/first;
#    the session JVMs' VmRSS at the end.
# 2. farm: what ops/bin/farm does, but with the hub and --farm-sessions 3 headless Java sessions launched together
#    (farm starts Blender for every other session when Blender is installed, and the sessions only once the hub
#    is ready): as soon as the hub lists the three, farm's own broadcast code (read from ops/bin/farm; it imports a
#    Java class) through `sessionhub broadcast SELECTOR CODE --timeout 30s --json`; each session's duration_ms
#    (broadcast's TIME column); then the same broadcast again, warm, for comparison.
# Everything binds 127.0.0.1 without a token (as a new user's first farm; loopback needs none). Each round runs
# cluster and farm for both configurations; odd rounds start with current, even ones with
# baseline. Figures: median over rounds (and over hubs / sessions where there are several), min-max beside.
# Raw JSON lines (one per configuration and part) go to ops/bench/results/young-farm-<UTC time>.txt; the
# programs' logs stay in a temporary folder while the run lasts.
# usage: ops/bench/young-farm-bench.sh [--rounds 1] [--warm 20] [--sims 200] [--sessions 4] [--farm-sessions 3]
#          [--settle 10] [--seed-runs 3] [--scan-interval 5s]                      (about 3 minutes a round)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds=1; warm=20; sims=200; sessions=4; farm_sessions=3; settle=10; seed_runs=3; scan_interval=5s
usage="usage: $0 [--rounds 1] [--warm 20] [--sims 200] [--sessions 4] [--farm-sessions 3] [--settle 10] [--seed-runs 3] [--scan-interval 5s]"
while [ $# -gt 0 ]; do
  case "$1" in
    --*) [ "$1" = --help ] || [ $# -ge 2 ] || { echo "young-farm-bench: $1 wants a value" >&2; echo "$usage" >&2; exit 2; } ;;
  esac
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --warm) warm="$2"; shift 2 ;;
    --sims) sims="$2"; shift 2 ;;
    --sessions) sessions="$2"; shift 2 ;;
    --farm-sessions) farm_sessions="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --seed-runs) seed_runs="$2"; shift 2 ;;
    --scan-interval) scan_interval="$2"; shift 2 ;;
    -h|--help) sed -n "2,30p" "$0"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
for n in "$rounds" "$sims" "$sessions" "$farm_sessions" "$seed_runs"; do
  case "$n" in ''|*[!0-9]*|0) echo "young-farm-bench: counts must be positive numbers" >&2; echo "$usage" >&2; exit 2 ;; esac
done
case "$warm" in ''|*[!0-9]*) echo "young-farm-bench: --warm wants a number" >&2; exit 2 ;; esac
case "$settle" in ''|*[!0-9.]*) echo "young-farm-bench: --settle wants seconds" >&2; exit 2 ;; esac

jar="$root/ops/target/sessionhub.jar"; jsa="$root/ops/target/sessionhub-session.jsa"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests -Dsessionhub.packages.skip=true package)
if [ ! -f "$jsa" ] || [ ! "$jsa" -nt "$jar" ]; then
  echo "young-farm-bench: no CDS archive newer than the jar (mvn package makes it): 'current' sessions start" \
    "without it" >&2
fi
sessionhub="$root/ops/bin/sessionhub"

# What this script starts stops when it stops, also on Ctrl-C, SIGTERM, SIGHUP and kill -9: ops/bin/lib/children.sh.
# The driver stops the programs it starts (SIGTERM); they also watch this script's pid (SESSIONHUB_PARENT_PID).
# shellcheck source=../bin/lib/children.sh
. "$root/ops/bin/lib/children.sh"
tmp="$(mktemp -d -t young-farm-bench.XXXXXX)"
mkdir -p "$here/results"
raw="$here/results/young-farm-$(date -u +%Y%m%d-%H%M%S).txt"
remove_tmp() {  # the logs; and the raw file if stopped before its first line
  rm -rf "$tmp"
  [ -s "$raw" ] || rm -f "$raw"
}
children_on_exit remove_tmp
load() { cut -d" " -f1-3 /proc/loadavg; }

echo "young-farm-bench: $rounds round(s); cluster: 2 hubs + $sessions sessions + sim --agents $sims, first broadcast" \
  "${settle}s after all are listed, $warm warm, seed loop x$seed_runs; farm: hub + $farm_sessions sessions"
echo "load average at start: $(load); raw lines: ${raw#"$root"/}"

# run_driver PART LABEL ENV...: one young_farm.py run, its JSON line appended to $raw.
run_driver() {
  local part="$1" label="$2"; shift 2
  local opts=(--log-dir "$tmp/$part-$label-$round")
  if [ "$part" = cluster ]; then
    opts+=(--sims "$sims" --sessions "$sessions" --warm "$warm" --seed-runs "$seed_runs" --settle "$settle"
      --scan-interval "$scan_interval")
  else
    opts+=(--sessions "$farm_sessions")
  fi
  echo "  round $round, $part, $label (load average $(load)):"
  python3 "$here/young_farm.py" "$part" "$sessionhub" "$label" "$@" "${opts[@]}" >> "$raw" & children_add $!
  wait $!
}
current=(SESSIONHUB_PYTHON_WARMUP= SESSIONHUB_CDS=)
baseline=(SESSIONHUB_PYTHON_WARMUP=off SESSIONHUB_CDS=off)
for round in $(seq 1 "$rounds"); do
  for part in cluster farm; do
    if [ $((round % 2)) -eq 1 ]; then
      run_driver "$part" current "${current[@]}"; run_driver "$part" baseline "${baseline[@]}"
    else
      run_driver "$part" baseline "${baseline[@]}"; run_driver "$part" current "${current[@]}"
    fi
  done
done

status=0
python3 - "$raw" "$sims" "$sessions" "$farm_sessions" "$settle" "$warm" <<'PY' || status=$?
import json, statistics, sys
raw, settle, warm = sys.argv[1], sys.argv[5], sys.argv[6]
sims, sessions, farm_sessions = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = [json.loads(l) for l in open(raw) if l.strip()]
def values(mode, label, fn):
    out = []
    for r in rows:
        if r["mode"] == mode and r["label"] == label:
            try:
                v = fn(r)
            except (KeyError, TypeError, IndexError, ZeroDivisionError):
                continue
            out.extend(v if isinstance(v, list) else [v])
    return [v for v in out if v is not None]
def cell(vals, unit, ratio=False):
    if not vals:
        return "-"
    m = statistics.median(vals)
    f = (lambda x: "%.1fx" % x) if ratio else (lambda x: "%.0f %s" % (x, unit))
    return f(m) + ("" if len(vals) == 1 else " (%s-%s, n=%d)" % (f(min(vals)).split()[0], f(max(vals)).split()[0], len(vals)))
total = sims + sessions
figures = [
    ("cluster", "hub launch -> ready", lambda r: r["hub_ready_ms"], "ms", ""),
    ("cluster", "session launch -> port bound", lambda r: r["session_bind_ms"], "ms", ""),
    ("cluster", "sim launch -> %d agents listening" % sims, lambda r: r["sim_ready_ms"], "ms", ""),
    ("cluster", "launch -> both hubs list %d" % total, lambda r: r["both_listed_ms"], "ms", ""),
    ("cluster", "first broadcast print(1), %ss later" % settle, lambda r: r["first"]["wall_ms"], "ms", "< 1,000 ms"),
    ("cluster", "  its slowest target", lambda r: r["first"]["target_max_ms"], "ms", ""),
    ("cluster", "  the %d session JVMs' targets" % sessions, lambda r: r["first"]["session_targets_ms"], "ms", ""),
    ("cluster", "  the sim's slowest agent", lambda r: r["first"]["sim_targets_p50_max_ms"][1], "ms", ""),
    ("cluster", "warm broadcast, median of %s" % warm, lambda r: r["warm_median_ms"], "ms", ""),
    ("cluster", "seed loop over the %d, median" % total, lambda r: r["seed_median_ms"], "ms", ""),
    ("cluster", "seed / warm median", lambda r: r["seed_median_ms"] / r["warm_median_ms"], "x", ">= 10x"),
    ("cluster", "seed / first broadcast", lambda r: r["seed_median_ms"] / r["first"]["wall_ms"], "x", ""),
    ("cluster", "session RSS at the end", lambda r: r["session_rss_mb"], "MB", "< 150 MB"),
    ("farm", "farm: hub launch -> ready", lambda r: r["hub_ready_ms"], "ms", ""),
    ("farm", "farm: session launch -> port bound", lambda r: r["session_bind_ms"], "ms", ""),
    ("farm", "farm: launch -> hub lists %d" % farm_sessions, lambda r: r["listed_ms"], "ms", ""),
    ("farm", "farm: first broadcast, per session", lambda r: r["first"]["session_ms"], "ms", "< 1,000 ms"),
    ("farm", "farm: second broadcast, per session", lambda r: r["second"]["session_ms"], "ms", ""),
    ("farm", "farm: first broadcast, CLI wall time", lambda r: r["first"]["cli_wall_ms"], "ms", ""),
    ("farm", "farm: session RSS at the end", lambda r: r["session_rss_mb"], "MB", "< 150 MB"),
]
print()
print("== young farm (%d cores): median (min-max, n) over rounds, hubs and sessions ==" % __import__("os").cpu_count())
fmt = "%-40s %30s %30s %11s"
print(fmt % ("", "current", "baseline", "target"))
for mode, name, fn, unit, target in figures:
    print(fmt % (name, cell(values(mode, "current", fn), unit, unit == "x"),
                 cell(values(mode, "baseline", fn), unit, unit == "x"), target))
for label in ("current", "baseline"):
    firsts = values("farm", label, lambda r: r["first"]["session_ms"])
    if firsts:
        print("farm's first broadcast, every session (ms), %s: %s" % (label, ", ".join(str(v) for v in firsts)))
for label in ("current", "baseline"):
    cds = values("cluster", label, lambda r: r["session_cds"]) + values("farm", label, lambda r: r["session_cds"])
    print("%s: sessions started with the class-data archive: %d of %d" % (label, sum(1 for c in cds if c), len(cds)))
    for r in rows:
        if r["label"] == label and r["mode"] == "cluster" and "python_before_first" in r:
            print("  cluster: Python before the first broadcast (sessions, the sim's first agent): %s"
                  % "; ".join(r["python_before_first"]))
        if r["label"] == label and r["mode"] == "farm" and "python_after" in r:
            print("  farm: first broadcast sent %d ms after launch (sessions bound at %s ms); Python: %s"
                  % (r["first_sent_ms"], r["session_bind_ms"], "; ".join(r["python_after"])))
bad = [(r["mode"], r["label"], e) for r in rows for e in r.get("errors", [])]
bad += [(r["mode"], "baseline", "a session started with the class-data archive")
        for r in rows if r["label"] == "baseline" and any(r.get("session_cds", []))]
for mode, label, e in bad:
    print("ERROR %s %s: %s" % (mode, label, e))
sys.exit(1 if bad else 0)
PY
echo "raw lines: ${raw#"$root"/}"
echo "load average at the end: $(load)"
exit "$status"
