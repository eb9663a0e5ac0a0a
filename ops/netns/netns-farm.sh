#!/usr/bin/env bash
# A multi-host test farm made of Linux network namespaces: every "host" is a namespace with its own network stack,
# address and port space, all joined by one bridge that lives in a namespace of its own, so nothing of the farm
# is visible in (or changes) the machine's own network namespace. Some addresses of the farm's subnet are dead
# hosts: every host has a permanent neighbour entry mapping them to a MAC nobody owns, so a connect to them sends
# SYNs into the void and times out (it is never refused, and never fails fast with "no route").
#
# Needs root and iproute2 (`ip netns`). Each farm has a unique id (prefix shf + random hex) used in every name it
# creates, so parallel farms never collide; `down` removes only what that farm created: it stops the processes
# still running in its namespaces and deletes the namespaces (their veth pairs and the bridge go with them).
#
# Executed:  ops/netns/netns-farm.sh COMMAND ...      Sourced: the netns_farm_* functions below.
#   available                          exit 0 if this machine can make farms (root, ip netns works), else say why
#   up [--slots N] [--dead LIST] [--owner PID] [--octet X]
#                                      make a farm: slots 1..N are addresses 10.213.X.101..(100+N); every slot is
#                                      a host namespace except those in LIST (comma-separated slot numbers), which
#                                      are dead. X is random unless given. Prints the id; its description is in
#                                      /run/sessionhub-netns/ID/farm.env (FARM_*). OWNER (default: the caller's
#                                      parent) is the process whose death lets `reap` remove the farm.
#   down ID                            stop the farm's processes, delete its namespaces and state (idempotent)
#   exec ID SLOT CMD...                run CMD on host SLOT (ip netns exec)
#   ns ID SLOT | addr ID SLOT          the namespace name / address of a slot
#   cut ID SLOT | restore ID SLOT      take a host's link down (its switch port) / bring it back
#   partition ID A B | heal ID A B     make hosts A and B unable to reach each other (both ways) / undo it
#   forward ID SLOT HOST:PORT          a TCP forwarder from the machine's own loopback into host SLOT: prints the
#                                      local port, then forwards every connection to HOST:PORT as seen from SLOT
#                                      until killed (the test's window into a host, whatever is cut around it)
#   check-dead ID [FROM]               verify from every host (or FROM) that dead addresses time out and closed
#                                      ports refuse
#   list                               farms on this machine with their owners
#   reap                               `down` every farm whose owner process has exited
# (end of help)

NETNS_FARM_STATE="${NETNS_FARM_STATE:-/run/sessionhub-netns}"
NETNS_FARM_PREFIX="shf"

netns_farm_die() { echo "netns-farm: $*" >&2; return 1; }

# available: can this machine run farms? Prints the reason when not.
netns_farm_available() {
  if [ "$(id -u)" -ne 0 ]; then echo "not root (network namespaces need CAP_NET_ADMIN and CAP_SYS_ADMIN)"; return 1; fi
  if ! command -v ip >/dev/null 2>&1; then echo "iproute2's ip is not installed (apt-get install iproute2)"; return 1; fi
  local probe="${NETNS_FARM_PREFIX}probe$$"
  if ! ip netns add "$probe" 2>/dev/null; then echo "ip netns add failed (no namespace support here)"; return 1; fi
  local ok=0
  ip netns exec "$probe" ip link set lo up 2>/dev/null \
    && ip -n "$probe" link add veth0 type veth peer name veth1 2>/dev/null \
    && ip -n "$probe" link add br0 type bridge 2>/dev/null || ok=1
  ip netns del "$probe" 2>/dev/null || true
  [ "$ok" -eq 0 ] || { echo "veth or bridge links cannot be created (kernel modules veth/bridge missing?)"; return 1; }
}

netns_farm_env() {  # netns_farm_env ID: loads the farm's description into FARM_* variables
  local file="$NETNS_FARM_STATE/$1/farm.env"
  [ -f "$file" ] || netns_farm_die "no farm $1 ($file missing)" || return 1
  # shellcheck disable=SC1090
  . "$file"
}

netns_farm_ns() { echo "$1-h$2"; }
netns_farm_addr() { netns_farm_env "$1" && echo "$FARM_NET.$((100 + $2))"; }
netns_farm_switch() { echo "$1-sw"; }
netns_farm_bogus_mac() { printf '02:5e:ad:%02x:%02x:%02x' "$1" "$2" "$3"; }  # locally administered, owned by nobody

netns_farm_is_dead() {  # netns_farm_is_dead SLOT (FARM_DEAD loaded)
  case ",$FARM_DEAD," in *",$1,"*) return 0 ;; *) return 1 ;; esac
}

# up: creates a farm; prints its id. On any failure it removes what it made.
netns_farm_up() {
  local slots=4 dead="" owner="$PPID" octet=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --slots) slots="$2"; shift 2 ;;
      --dead) dead="$2"; shift 2 ;;
      --owner) owner="$2"; shift 2 ;;
      --octet) octet="$2"; shift 2 ;;
      *) netns_farm_die "up: unknown option $1"; return 2 ;;
    esac
  done
  case "$slots" in ''|*[!0-9]*) netns_farm_die "--slots wants a number"; return 2 ;; esac
  [ "$slots" -ge 1 ] && [ "$slots" -le 150 ] || { netns_farm_die "--slots must be 1-150"; return 2; }
  local d
  for d in ${dead//,/ }; do
    case "$d" in ''|*[!0-9]*) netns_farm_die "--dead wants slot numbers"; return 2 ;; esac
    [ "$d" -ge 1 ] && [ "$d" -le "$slots" ] || { netns_farm_die "dead slot $d is outside 1-$slots"; return 2; }
  done
  [ -n "$octet" ] || octet=$((RANDOM % 256))
  mkdir -p "$NETNS_FARM_STATE"
  local id="" attempt
  for attempt in 1 2 3 4 5 6 7 8; do  # mkdir is the atomic claim of an id
    id="$NETNS_FARM_PREFIX$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
    mkdir "$NETNS_FARM_STATE/$id" 2>/dev/null && break
    id=""
  done
  [ -n "$id" ] || { netns_farm_die "could not claim a farm id"; return 1; }
  cat > "$NETNS_FARM_STATE/$id/farm.env" <<EOF
FARM_ID=$id
FARM_NET=10.213.$octet
FARM_SUBNET=10.213.$octet.0/24
FARM_SLOTS=$slots
FARM_DEAD=${dead// /}
FARM_OWNER=$owner
FARM_CREATED=$(date -u +%FT%TZ)
EOF
  if ! ( set -e; netns_farm_build "$id" ) >&2; then
    netns_farm_down "$id" || true
    netns_farm_die "could not build farm $id"
    return 1
  fi
  echo "$id"
}

netns_farm_build() {  # the links and addresses of farm $1 (its farm.env written)
  local id="$1" sw slot ns addr mac other
  netns_farm_env "$id"
  sw="$(netns_farm_switch "$id")"
  ip netns add "$sw"
  ip -n "$sw" link set lo up
  ip -n "$sw" link add br0 type bridge
  # Forward at once (no STP listening/learning delay) and forget nothing while a test runs.
  ip -n "$sw" link set br0 type bridge stp_state 0 forward_delay 0
  ip -n "$sw" link set br0 up
  for slot in $(seq 1 "$FARM_SLOTS"); do
    netns_farm_is_dead "$slot" && continue
    ns="$(netns_farm_ns "$id" "$slot")"
    addr="$FARM_NET.$((100 + slot))"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    # The pair is made inside the switch namespace and one end moved to the host: the machine's own namespace
    # never holds a link of the farm, even for a moment.
    ip -n "$sw" link add "p$slot" type veth peer name eth0 netns "$ns"
    ip -n "$sw" link set "p$slot" master br0 up
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" link set eth0 up
    for other in ${FARM_DEAD//,/ }; do
      mac="$(netns_farm_bogus_mac "$(echo "$FARM_NET" | cut -d. -f3)" 0 "$other")"
      ip -n "$ns" neigh replace "$FARM_NET.$((100 + other))" lladdr "$mac" nud permanent dev eth0
    done
  done
}

# down ID: stops every process in the farm's namespaces (TERM, then KILL after 5 s), deletes the namespaces and
# the farm's state. Safe to call twice, on a half-built farm, or on an id whose namespaces are already gone.
netns_farm_down() {
  local id="$1" ns pids=() p end
  case "$id" in "$NETNS_FARM_PREFIX"*) ;; *) netns_farm_die "down: '$id' is not a farm id"; return 2 ;; esac
  local mine=()
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    case "$ns" in "$id"-*) mine+=("$ns") ;; esac
  done
  for ns in "${mine[@]}"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do pids+=("$p"); done
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    end=$((SECONDS + 5))
    while [ "$SECONDS" -lt "$end" ]; do
      local alive=0
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ "$alive" -eq 0 ] && break
      sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  for ns in "${mine[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "${NETNS_FARM_STATE:?}/$id"
}

netns_farm_exec() {  # exec ID SLOT CMD...
  local id="$1" slot="$2"; shift 2
  ip netns exec "$(netns_farm_ns "$id" "$slot")" "$@"
}

netns_farm_cut() { ip -n "$(netns_farm_switch "$1")" link set "p$2" down; }
netns_farm_restore() { ip -n "$(netns_farm_switch "$1")" link set "p$2" up; }

# partition ID A B: each of A and B maps the other's address to a MAC nobody owns, so every packet between them
# is silently lost (as with a pulled cable between two racks), while both still reach every other host.
netns_farm_partition() {
  local id="$1" a="$2" b="$3" octet
  netns_farm_env "$id"
  octet="$(echo "$FARM_NET" | cut -d. -f3)"
  ip -n "$(netns_farm_ns "$id" "$a")" neigh replace "$FARM_NET.$((100 + b))" \
    lladdr "$(netns_farm_bogus_mac "$octet" 1 "$b")" nud permanent dev eth0
  ip -n "$(netns_farm_ns "$id" "$b")" neigh replace "$FARM_NET.$((100 + a))" \
    lladdr "$(netns_farm_bogus_mac "$octet" 1 "$a")" nud permanent dev eth0
}

netns_farm_heal() {
  local id="$1" a="$2" b="$3"
  netns_farm_env "$id"
  ip -n "$(netns_farm_ns "$id" "$a")" neigh del "$FARM_NET.$((100 + b))" dev eth0 2>/dev/null || true
  ip -n "$(netns_farm_ns "$id" "$b")" neigh del "$FARM_NET.$((100 + a))" dev eth0 2>/dev/null || true
}

# forward ID SLOT HOST:PORT: listens on 127.0.0.1 (an ephemeral port, printed on the first line) in the machine's
# own namespace, then moves itself into host SLOT's network namespace (setns; the listening socket stays where it
# was made) and relays each accepted connection to HOST:PORT from there. One process for any number of requests,
# so a test polling hubs many times a second spawns nothing per request. Being in the farm's namespace, `down`
# stops it with the rest.
netns_farm_forward() {
  local id="$1" slot="$2" to="$3"
  netns_farm_env "$id"
  exec python3 -u - "/run/netns/$(netns_farm_ns "$id" "$slot")" "${to%:*}" "${to##*:}" <<'PY'
import ctypes, os, socket, sys, threading
ns_path, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(256)
fd = os.open(ns_path, os.O_RDONLY)
if ctypes.CDLL(None, use_errno=True).setns(fd, 0x40000000) != 0:  # CLONE_NEWNET, before any thread exists
    sys.exit("netns-farm: setns(%s) failed: %s" % (ns_path, os.strerror(ctypes.get_errno())))
os.close(fd)
print(listener.getsockname()[1], flush=True)

def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

def relay(client):
    try:
        upstream = socket.create_connection((host, port), timeout=5)
        upstream.settimeout(None)
    except OSError:
        client.close()  # refused or unreachable: the client sees its connection closed, as with no server
        return
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join()
    client.close()
    upstream.close()

while True:
    conn, _ = listener.accept()
    threading.Thread(target=relay, args=(conn,), daemon=True).start()
PY
}

# check-dead ID [FROM]: from every host (or only host FROM), a connect to each dead address must time out (1.5 s)
# and a connect to a closed port of every other live host must be refused. One line per check; exit 1 if any is
# wrong. Each host checks all addresses at once, so a host costs one timeout, not one per dead address.
netns_farm_check_dead() {
  local id="$1" from="${2:-}" slot other live="" targets failed=0 line
  netns_farm_env "$id"
  for slot in $(seq 1 "$FARM_SLOTS"); do netns_farm_is_dead "$slot" || { live="$live $slot"; }; done
  for slot in ${from:-$live}; do
    targets=""
    for other in $(seq 1 "$FARM_SLOTS"); do
      [ "$other" = "$slot" ] && continue
      if netns_farm_is_dead "$other"; then targets="$targets $FARM_NET.$((100 + other))=timeout"
      else targets="$targets $FARM_NET.$((100 + other))=refused"; fi
    done
    # shellcheck disable=SC2086
    while IFS= read -r line; do
      echo "h$slot -> $line"
      case "$line" in *" wrong") failed=1 ;; esac
    done < <(netns_farm_exec "$id" "$slot" python3 - $targets <<'PY'
import socket, sys, threading, time
def probe(address, want, out):
    s = socket.socket()
    s.settimeout(1.5)
    t = time.monotonic()
    try:
        s.connect((address, 1))
        r = "open"
    except socket.timeout:
        r = "timeout"
    except ConnectionRefusedError:
        r = "refused"
    except OSError as e:
        r = "error:%s" % e.strerror
    finally:
        s.close()
    out.append("%s:1 %s %.0fms (want %s) %s" % (address, r, (time.monotonic() - t) * 1000, want,
                                               "ok" if r == want else "wrong"))
out, threads = [], []
for arg in sys.argv[1:]:
    address, want = arg.split("=")
    threads.append(threading.Thread(target=probe, args=(address, want, out)))
    threads[-1].start()
for t in threads:
    t.join()
print("\n".join(sorted(out)))
PY
)
  done
  return "$failed"
}

netns_farm_list() {
  local dir
  for dir in "$NETNS_FARM_STATE"/"$NETNS_FARM_PREFIX"*; do
    [ -f "$dir/farm.env" ] || continue
    (
      # shellcheck disable=SC1091
      . "$dir/farm.env"
      state=running; kill -0 "$FARM_OWNER" 2>/dev/null || state=orphaned
      echo "$FARM_ID $FARM_SUBNET slots=$FARM_SLOTS dead=${FARM_DEAD:-none} owner=$FARM_OWNER ($state) since $FARM_CREATED"
    )
  done
}

# reap: removes the farms whose owner has exited (a test JVM killed with -9 cannot clean up after itself).
netns_farm_reap() {
  local dir owner
  for dir in "$NETNS_FARM_STATE"/"$NETNS_FARM_PREFIX"*; do
    [ -f "$dir/farm.env" ] || continue
    owner="$(sed -n 's/^FARM_OWNER=//p' "$dir/farm.env")"
    if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
      echo "netns-farm: removing orphaned farm $(basename "$dir") (owner $owner exited)" >&2
      netns_farm_down "$(basename "$dir")"
    fi
  done
}

netns_farm_main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    available) netns_farm_available ;;
    up) netns_farm_up "$@" ;;
    down) [ $# -eq 1 ] || { netns_farm_die "usage: down ID"; return 2; }; netns_farm_down "$1" ;;
    exec) [ $# -ge 3 ] || { netns_farm_die "usage: exec ID SLOT CMD..."; return 2; }; netns_farm_exec "$@" ;;
    ns) netns_farm_ns "$1" "$2" ;;
    addr) netns_farm_addr "$1" "$2" ;;
    cut) netns_farm_cut "$1" "$2" ;;
    restore) netns_farm_restore "$1" "$2" ;;
    partition) netns_farm_partition "$1" "$2" "$3" ;;
    heal) netns_farm_heal "$1" "$2" "$3" ;;
    forward) [ $# -eq 3 ] || { netns_farm_die "usage: forward ID SLOT HOST:PORT"; return 2; }; netns_farm_forward "$@" ;;
    check-dead) netns_farm_check_dead "$@" ;;
    list) netns_farm_list ;;
    reap) netns_farm_reap ;;
    ""|-h|--help|help) sed -n '2,/^# (end of help)/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' ;;
    *) netns_farm_die "unknown command '$cmd' (see --help)"; return 2 ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  netns_farm_main "$@"
fi
