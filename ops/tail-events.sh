#!/usr/bin/env bash
# Usage: ops/tail-events.sh NAME [--from N] [--json] [--database PATH]  Print a room's events and follow new ones (Ctrl-C stops).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/_host.sh"
ops_help "Usage: ops/tail-events.sh NAME [--from N] [--json] [--database PATH]  Print a room's events and follow new ones (Ctrl-C stops)." "$@"
ops_require "a room name" "$@"
run_host journal events "$@" --follow
