#!/usr/bin/env bash
# Benchmark: what GET /metrics costs on a hub holding 10,000 sessions, in one run.
#   setup: `sessionhub sim --agents 10000` on a mostly free 11,000-port range and a hub scanning the sim's ports (--scan-interval 300s,
#          so no discovery cycle runs during the measurements; --rate-limit 0; --open-metrics); then one warm-up
#          broadcast of print(1) (the sim's shared Jython starts on the first command)
#   a. a scrape every 5 s (--scrapes 12 rounds): client wall time of GET /metrics (curl, a new connection each),
#      beside GET /health/live timed in the same rounds as the baseline (the same HTTP edge, no work)
#   b. broadcasts of print('ok') to all sessions (wait=true), --broadcasts per phase, in alternating phases without
#      and with a scraper hitting /metrics every 5 s in the background (A B A B ...), client wall time; every
#      run checked for all-ok results
# usage: ops/bench/metrics-bench.sh [--agents 10000] [--scrapes 12] [--broadcasts 4] [--phases 2]   (about 5 min)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
agents=10000; scrapes=12; broadcasts=4; phases=2
while [ $# -gt 0 ]; do
  case "$1" in
    --agents) agents="$2"; shift 2 ;;
    --scrapes) scrapes="$2"; shift 2 ;;
    --broadcasts) broadcasts="$2"; shift 2 ;;
    --phases) phases="$2"; shift 2 ;;
    *) echo "usage: $0 [--agents 10000] [--scrapes 12] [--broadcasts 4] [--phases 2]" >&2; exit 2 ;;
  esac
done
[ -f "$root/ops/target/sessionhub.jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package)
sessionhub="$root/ops/bin/sessionhub"
span=$((agents + 1000))

tmp="$(mktemp -d)"; pids=()
trap 'kill ${pids[@]} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_range() {  # first base in 8000, 10000, ... where all but 100 of $span ports bind on 127.0.0.1, below the ephemeral
  # range (on a shared machine other programs hold a few; the sim skips them and the hub scans only the sim's ports)
  python3 - "$span" <<'EOF'
import socket, sys
span = int(sys.argv[1])
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
def free(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the agents bind: TIME_WAIT left by a run is no obstacle
    try:
        s.bind(("127.0.0.1", port)); return True
    except OSError:
        return False
    finally:
        s.close()
for base in range(8000, low - span + 1, 2000):
    if sum(1 for p in range(base, base + span) if not free(p)) <= 100:
        print(base); break
EOF
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
base=$(free_range)
[ -n "$base" ] || { echo "no free ${span}-port range on 127.0.0.1 below the ephemeral ports" >&2; exit 1; }
top=$((base + span - 1))
echo "starting sessionhub sim --agents $agents on $base-$top..."
"$sessionhub" sim --agents "$agents" --base-port "$base" --max-port "$top" --ready-file "$tmp/sim.ports" \
  > "$tmp/sim.log" 2>&1 & pids+=($!)
for _ in $(seq 1 3000); do [ -s "$tmp/sim.ports" ] && break; sleep 0.1; done
[ -s "$tmp/sim.ports" ] || { echo "sim did not start:" >&2; cat "$tmp/sim.log" >&2; exit 1; }
echo "  $(head -1 "$tmp/sim.log")"
# scan exactly the sim's ports (runs of consecutive ones): never another program's listener in the range
scan=$(sort -n "$tmp/sim.ports" | awk 'NR==1{a=$1;b=$1;next} $1==b+1{b=$1;next} {print "--scan 127.0.0.1:"a"-"b; a=$1;b=$1} END{print "--scan 127.0.0.1:"a"-"b}')

http=$(free_port); hz=$(free_port)
echo "starting a hub with $(echo $scan | wc -w | awk '{print $1/2}') scan range(s) over the sim's ports, waiting until it lists $agents sessions..."
# shellcheck disable=SC2086
"$sessionhub" hub --rate-limit 0 --open-metrics --http-port "$http" --hz-port "$hz" \
  --cluster "metricsbench-$$-$RANDOM" $scan --scan-interval 300s \
  --ready-file "$tmp/hub.ready" > "$tmp/hub.log" 2>&1 & pids+=($!)
for _ in $(seq 1 1200); do [ -s "$tmp/hub.ready" ] && break; sleep 0.1; done
[ -s "$tmp/hub.ready" ] || { echo "hub did not start:" >&2; cat "$tmp/hub.log" >&2; exit 1; }
url=$(tr -d '\n' < "$tmp/hub.ready")

python3 - "$url" "$agents" "$scrapes" "$broadcasts" "$phases" <<'EOF'
import json, statistics, subprocess, sys, threading, time, urllib.request
url, agents, scrapes, broadcasts, phases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])

def get_text(path):
    with urllib.request.urlopen(url + path, timeout=30) as r:
        return r.read().decode()

def sessions():
    return sum(float(l.rsplit(" ", 1)[1]) for l in get_text("/metrics").splitlines()
               if l.startswith("sessionhub_sessions{"))

# the first cycle finds nearly all; a poll that timed out on a loaded machine waits for the next cycle (300 s), so
# a count that stays put for 15 s at 99 % or more is taken as it is (and printed)
deadline, last, since = time.time() + 300, -1, time.time()
while True:
    count = int(sessions())
    if count != last:
        last, since = count, time.time()
    if count == agents or (count >= 0.99 * agents and time.time() - since > 15):
        break
    if time.time() > deadline:
        sys.exit("the hub lists %d sessions after 300 s, not %d" % (count, agents))
    time.sleep(1)
listed = count
print("hub lists %d sessions (from its own /metrics sessionhub_sessions)" % listed)

def curl_ms(path):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_download}",
                          url + path], capture_output=True, text=True, timeout=60).stdout.split()
    if out[0] != "200":
        sys.exit(path + " answered " + out[0])
    return float(out[1]) * 1000, int(out[2])

def broadcast():
    body = json.dumps({"selector": "*", "code": "print('ok')", "wait": True, "timeout": 60}).encode()
    req = urllib.request.Request(url + "/api/broadcast", data=body, headers={"Content-Type": "application/json"})
    t = time.time()
    with urllib.request.urlopen(req, timeout=300) as r:
        job = json.load(r)
    ms = (time.time() - t) * 1000
    if job["counts"]["ok"] != listed:
        sys.exit("broadcast: %s" % job["counts"])
    return ms

print("warm-up: one broadcast (starts the sim's Jython), 3 scrapes...")
broadcast()
for _ in range(3):
    curl_ms("/metrics"); curl_ms("/health/live")

print("a. a scrape every 5 s, %d rounds..." % scrapes)
metrics, live, size = [], [], 0
for i in range(scrapes):
    t = time.time()
    ms, size = curl_ms("/metrics"); metrics.append(ms)
    live.append(curl_ms("/health/live")[0])
    time.sleep(max(0, 5 - (time.time() - t)))

def summary(xs):
    xs = sorted(xs)
    return "min %.1f  median %.1f  p90 %.1f  max %.1f ms" % (xs[0], statistics.median(xs),
                                                            xs[min(len(xs) - 1, int(0.9 * len(xs)))], xs[-1])
print("   GET /metrics      (%d sessions, %d bytes): %s" % (listed, size, summary(metrics)))
print("   GET /health/live  (baseline, same rounds):  %s" % summary(live))

print("b. broadcasts to %d sessions, %d per phase, %d phases each without / with a 5 s scraper..."
      % (listed, broadcasts, phases))
without, with_scrapes, scraped = [], [], []
for p in range(phases):
    without += [broadcast() for _ in range(broadcasts)]
    stop = threading.Event()
    def scraper():
        while not stop.is_set():
            scraped.append(curl_ms("/metrics")[0])
            stop.wait(5)
    th = threading.Thread(target=scraper); th.start()
    with_scrapes += [broadcast() for _ in range(broadcasts)]
    stop.set(); th.join()
mw, ms_ = statistics.median(without), statistics.median(with_scrapes)
print("   without scraping: %s" % summary(without))
print("   with scraping:    %s" % summary(with_scrapes))
print("   median change: %+.1f %%; %d scrapes during the broadcasts: %s" % ((ms_ - mw) / mw * 100, len(scraped),
                                                                          summary(scraped)))
EOF
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
