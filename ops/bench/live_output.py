"""Live output latency: from a line printed in a session to (a) an SSE client of the job and (b) the CLI's stdout.

Two hubs in one cluster and two sessions on different hosts (127.0.0.1, 127.0.0.2), so one session is followed by
the hub the clients talk to and the other by the second hub. Each command prints LINES lines, one every INTERVAL
seconds, each carrying time.time() at the print; clients stamp each line as it arrives (same machine, same clock).
The baseline, from the same runs: when each line would reach a caller that only gets the output at the end (the
stock command() and agents without live output), i.e. at the target's result.
usage: live_output.py SESSIONHUB_LAUNCHER ROUNDS LINES INTERVAL
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

launcher, rounds, lines, interval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
procs = []


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def free_range(n):
    while True:
        base = free_port()
        if base + n > 65000:
            continue
        ok = True
        for p in range(base, base + n):
            s = socket.socket()
            try:
                s.bind(('127.0.0.1', p))
            except OSError:
                ok = False
            finally:
                s.close()
        if ok:
            return base


def start(args, log):
    p = subprocess.Popen([launcher] + args, stdout=open(log, 'w'), stderr=subprocess.STDOUT)
    procs.append(p)
    return p


def get(url):
    return json.load(urllib.request.urlopen(url, timeout=30))


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={'Content-Type': 'application/json'})
    return json.load(urllib.request.urlopen(req, timeout=120))


def code():
    return ("import time\nfor i in range(%d):\n    print('L %%d %%.6f' %% (i, time.time()))\n    time.sleep(%f)\n"
            % (lines, interval))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def sse_round(hub, member_of):
    """One broadcast to both sessions, read through hub A's job stream."""
    job = post(hub + '/api/broadcast', {'selector': 'tag.bench=live', 'code': code(), 'timeout': 60, 'wait': False})
    live, at_end = {'same': [], 'other': []}, {'same': [], 'other': []}
    printed, pending = {}, {}
    stream = urllib.request.urlopen(hub + '/api/jobs/%s/events' % job['id'], timeout=120)
    event = None
    for raw in stream:
        now = time.time()
        line = raw.decode('utf-8').rstrip('\n')
        if line.startswith('event: '):
            event = line[7:]
        elif line.startswith('data: '):
            data = json.loads(line[6:])
            if event == 'output':
                text = pending.get(data['address'], '') + data['text']
                complete, _, pending[data['address']] = text.rpartition('\n')
                for l in complete.splitlines():
                    parts = l.split()
                    if len(parts) == 3 and parts[0] == 'L':
                        printed.setdefault(data['address'], []).append((float(parts[2]), now))
            elif event == 'result':
                where = 'same' if data['ran_by'] == member_of['A'] else 'other'
                for stamp, seen in printed.get(data['address'], []):
                    live[where].append((seen - stamp) * 1000)
                for l in data.get('output', '').splitlines():
                    parts = l.split()
                    if len(parts) == 3 and parts[0] == 'L':
                        at_end[where].append((now - float(parts[2])) * 1000)
            elif event == 'done':
                break
    return live, at_end


def cli_round(hub, address):
    """sessionhub send through hub A, stdout a pipe read line by line."""
    p = subprocess.Popen([launcher, 'send', '--hub', hub, address, code()], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    got = []
    for raw in p.stdout:
        now = time.time()
        parts = raw.decode('utf-8').split()
        if len(parts) == 3 and parts[0] == 'L':
            got.append((now - float(parts[2])) * 1000)
    p.wait()
    return got


def main():
    base = free_range(4)
    cluster = 'livebench-%d' % os.getpid()
    hubs = {}
    hz = {'A': free_port(), 'B': free_port()}
    for name, other in (('A', 'B'), ('B', 'A')):
        port = free_port()
        start(['hub', '--http-port', str(port), '--cluster', cluster, '--hz-port', str(hz[name]),
               '--member', '127.0.0.1:%d' % hz[other], '--scan', '127.0.0.1-2:%d-%d' % (base, base + 3),
               '--scan-interval', '1s'], '/tmp/livebench-hub-%s.log' % name)
        hubs[name] = 'http://127.0.0.1:%d' % port
    for host in ('127.0.0.1', '127.0.0.2'):
        start(['session', '--bind', host, '--base-port', str(base), '--max-port', str(base + 3), '--tag', 'bench=live'],
              '/tmp/livebench-session-%s.log' % host)
    deadline = time.time() + 90
    while True:
        try:
            a = get(hubs['A'] + '/api/sessions?selector=tag.bench%3Dlive')['sessions']
            b = get(hubs['B'] + '/api/sessions?selector=tag.bench%3Dlive')['sessions']
            members = get(hubs['A'] + '/api/cluster')['members']
            if len(a) == 2 and len(b) == 2 and len(members) == 2:
                break
        except Exception:
            pass
        if time.time() > deadline:
            raise SystemExit('live-output-bench: the farm did not come up (logs in /tmp/livebench-*.log)')
        time.sleep(0.5)
    member_of = {('A' if m['http_url'] == hubs['A'] else 'B'): m['member'] for m in members}
    for _ in range(3):
        post(hubs['A'] + '/api/broadcast', {'selector': 'tag.bench=live', 'code': 'print(1)', 'timeout': 60})
    live, at_end = {'same': [], 'other': []}, {'same': [], 'other': []}
    cli = {'same': [], 'other': []}
    owners = {}
    for r in range(rounds):
        l, e = sse_round(hubs['A'], member_of)
        for k in live:
            live[k] += l[k]
            at_end[k] += e[k]
    job = post(hubs['A'] + '/api/broadcast', {'selector': 'tag.bench=live', 'code': 'print(1)', 'timeout': 60})
    for result in job['results']:
        owners[result['address']] = 'same' if result['ran_by'] == member_of['A'] else 'other'
    for r in range(rounds):
        for address, where in owners.items():
            cli[where] += cli_round(hubs['A'], address)
    print('live-output-bench: %d rounds, %d lines every %.0f ms per command; clients talk to hub A' % (
        rounds, lines, interval * 1000))
    print('%-44s %10s %10s %6s' % ('print -> arrival, ms', 'p50', 'p99', 'n'))
    for label, data in (('SSE, session followed by hub A', live['same']),
                        ('SSE, session followed by hub B', live['other']),
                        ('CLI send, session of hub A', cli['same']),
                        ('CLI send, session of hub B', cli['other']),
                        ('baseline: output at the end, hub A', at_end['same']),
                        ('baseline: output at the end, hub B', at_end['other'])):
        if data:
            print('%-44s %10.1f %10.1f %6d' % (label, pct(data, 50), pct(data, 99), len(data)))
        else:
            print('%-44s %10s %10s %6d' % (label, '-', '-', 0))


try:
    main()
finally:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
