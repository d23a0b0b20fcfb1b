#!/usr/bin/env bash
# Usage: ops/backup.sh DESTINATION [--database PATH]  Consistent copy of the journal (SQLite online backup), safe while the server runs.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/_host.sh"
ops_help "Usage: ops/backup.sh DESTINATION [--database PATH]  Consistent copy of the journal (SQLite online backup), safe while the server runs." "$@"
ops_require "a destination file" "$@"
run_host journal backup "$@"
