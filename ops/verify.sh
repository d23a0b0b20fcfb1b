#!/usr/bin/env bash
# Usage: ops/verify.sh [--json] [--database PATH]  Replay every room; exit code 1 lists the rows that do not replay.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/_host.sh"
ops_help "Usage: ops/verify.sh [--json] [--database PATH]  Replay every room; exit code 1 lists the rows that do not replay." "$@"
run_host journal verify "$@"
