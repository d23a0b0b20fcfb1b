#!/usr/bin/env bash
# Usage: ops/room.sh NAME [--json] [--database PATH]  Show one room: its sessions with ids, tags and attachments.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/_host.sh"
ops_help "Usage: ops/room.sh NAME [--json] [--database PATH]  Show one room: its sessions with ids, tags and attachments." "$@"
ops_require "a room name" "$@"
run_host journal room "$@"
