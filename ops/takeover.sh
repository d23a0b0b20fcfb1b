#!/usr/bin/env bash
# Usage: ops/takeover.sh [server options]  Deploys without dropping a socket: starts the new build with --takeover beside the running server and waits until the old one has exited.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/_host.sh"
usage="Usage: ops/takeover.sh [server options]  Deploys without dropping a socket: starts the new build with --takeover beside the running server and waits until the old one has exited."
case "${1:-}" in
  --help|-h)
    printf '%s\n' "$usage"
    cat <<'HELP'
The server options are the running server's (--listen, --database, --hocon, ...): the new process must serve the same
prefixes and journal. AKKAHIBERNATION_HOST names the new build's executable (default: dotnet run --project src/Host).
The new server keeps running after this script; its output goes to AKKAHIBERNATION_TAKEOVER_LOG if set (appended),
otherwise to this script's output. AKKAHIBERNATION_TAKEOVER_TIMEOUT bounds the wait (seconds, default 120).
Exit codes: 0 the new process serves every socket and the old one exited, 1 the takeover failed (the old server, if
any, serves on as it was), 2 bad arguments.
HELP
    exit 0 ;;
esac

database="${AKKAHIBERNATION_DATABASE:-data/journal.db}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = "--database" ]; then
    if [ $((i + 1)) -ge ${#args[@]} ]; then
      echo "takeover.sh: --database needs a path (see --help)" >&2
      exit 2
    fi
    database="${args[$((i + 1))]}"
  fi
done

# The running server writes its process id into the journal's lock file.
old_pid="$(head -n 1 "$database.lock" 2>/dev/null || true)"
if ! [[ "$old_pid" =~ ^[0-9]+$ ]] || ! kill -0 "$old_pid" 2>/dev/null; then
  echo "takeover.sh: no server is running on $database (no live process in $database.lock)" >&2
  exit 1
fi

if [ -n "${AKKAHIBERNATION_TAKEOVER_LOG:-}" ]; then
  run_host "$@" --takeover >>"$AKKAHIBERNATION_TAKEOVER_LOG" 2>&1 </dev/null &
else
  run_host "$@" --takeover </dev/null &
fi
new_pid=$!

deadline=$((SECONDS + ${AKKAHIBERNATION_TAKEOVER_TIMEOUT:-120}))
while kill -0 "$old_pid" 2>/dev/null; do
  if ! kill -0 "$new_pid" 2>/dev/null; then
    status=0
    wait "$new_pid" || status=$?
    echo "takeover.sh: the new process exited with code $status; the server $old_pid serves on" >&2
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    echo "takeover.sh: the server $old_pid had not exited after ${AKKAHIBERNATION_TAKEOVER_TIMEOUT:-120} s; the new process $new_pid is left running" >&2
    exit 1
  fi
  sleep 0.1
done

# The new server took the lock, and wrote its own process id there (the one started here may be a wrapper of it).
server_pid="$(head -n 1 "$database.lock" 2>/dev/null || true)"
if ! kill -0 "$new_pid" 2>/dev/null || ! [[ "$server_pid" =~ ^[0-9]+$ ]] || ! kill -0 "$server_pid" 2>/dev/null; then
  echo "takeover.sh: the server $old_pid exited but the new process did not survive it" >&2
  exit 1
fi
echo "takeover.sh: process $server_pid took over from $old_pid"
