# shellcheck shell=bash
# Sourced by every ops script that starts programs in the background (ops/bin/farm, ops/bench/*.sh), so that what
# a script starts stops when the script stops, however it stops:
#   - Ctrl-C (with or without `| tee`), SIGTERM, SIGHUP (terminal closed) and SIGPIPE end the script (exit 130,
#     143, 129, 141) and its EXIT trap stops every child it tracks: SIGTERM, then SIGKILL to any still there after
#     CHILDREN_GRACE seconds (default 30). The trap kills first and talks after, with further signals and SIGPIPE
#     ignored and `set -e` off, so a closed terminal or a gone `| tee` cannot end it before its kill.
#   - kill -9 of the script, when no trap runs: SESSIONHUB_PARENT_PID is exported as the script's pid, and the
#     programs (sessionhub hub|session|sim, --parent-pid) stop by themselves, as on SIGTERM, once it has ended.
# Use:
#   . "$root/ops/bin/lib/children.sh"
#   children_on_exit my_cleanup            # optional: runs after the children have stopped (rm -rf "$tmp", ...)
#   some-program ... & children_add $!
#   children_say "message"                 # to stderr; never fails, also with the terminal or pipe gone

export SESSIONHUB_PARENT_PID=$$
children=()
children_exit_hook=""

children_add() { children+=("$@"); }
children_on_exit() { children_exit_hook="$1"; }
children_say() { echo "$*" >&2 2>/dev/null || true; }

# children_stop: SIGTERM to the tracked children, SIGKILL to those left after CHILDREN_GRACE seconds; waits for
# them all (the hub takes a few seconds to leave its cluster). Never fails.
children_stop() {
  [ ${#children[@]} -gt 0 ] || return 0
  local p left end=$((SECONDS + ${CHILDREN_GRACE:-30}))
  kill -TERM "${children[@]}" 2>/dev/null || true
  while :; do
    left=()
    for p in "${children[@]}"; do kill -0 "$p" 2>/dev/null && left+=("$p"); done
    [ ${#left[@]} -eq 0 ] && break
    if [ "$SECONDS" -ge "$end" ]; then
      kill -KILL "${left[@]}" 2>/dev/null || true
      children_say "$(basename "$0"): killed ${left[*]} (still running ${CHILDREN_GRACE:-30}s after SIGTERM)"
      break
    fi
    sleep 0.1
  done
  wait "${children[@]}" 2>/dev/null || true
  children=()
}

children_exit_trap() {
  local code=$?
  trap '' INT TERM HUP PIPE
  trap - EXIT
  set +e
  children_stop
  [ -z "$children_exit_hook" ] || "$children_exit_hook"
  exit "$code"
}

trap children_exit_trap EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE
