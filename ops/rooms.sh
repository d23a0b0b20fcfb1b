#!/usr/bin/env bash
# Usage: ops/rooms.sh [--json] [--database PATH]  List every room: sessions, last sequence, snapshot age, journal rows.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/_host.sh"
ops_help "Usage: ops/rooms.sh [--json] [--database PATH]  List every room: sessions, last sequence, snapshot age, journal rows." "$@"
run_host journal rooms "$@"
