# Sourced by the ops scripts.
# AKKAHIBERNATION_HOST may point at a published AkkaHibernation.Host executable; otherwise the repository's
# src/Host is run with `dotnet run` (slower: it checks the build first).
ops_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# ops_help USAGE ARGS...: prints USAGE and the common options and exits 0 when ARGS start with --help or -h.
ops_help() {
  local usage=$1; shift
  case "${1:-}" in
    --help|-h)
      printf '%s\n' "$usage"
      cat <<'COMMON'
Options after the arguments go to the host's journal command: --database PATH (default data/journal.db or
$AKKAHIBERNATION_DATABASE), --json. Set AKKAHIBERNATION_HOST to a published host executable to skip the build check.
Exit codes: 0 ok, 1 verify failed, 2 bad arguments, 3 no database, 4 unknown room, 5 database locked.
COMMON
      exit 0 ;;
  esac
}

# ops_require WHAT ARGS...: exits 2 with a message when ARGS is empty.
ops_require() {
  local what=$1; shift
  if [ $# -eq 0 ]; then
    echo "$(basename "$0"): $what is required (see --help)" >&2
    exit 2
  fi
}

run_host() {
  if [ -n "${AKKAHIBERNATION_HOST:-}" ]; then
    "$AKKAHIBERNATION_HOST" "$@"
  else
    dotnet run --project "$ops_dir/../src/Host" --verbosity quiet -- "$@"
  fi
}
