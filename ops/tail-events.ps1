# Usage: ops/tail-events.ps1 NAME [--from N] [--json] [--database PATH]  Print a room's events and follow new ones (Ctrl-C stops).
. (Join-Path $PSScriptRoot "_Host.ps1")
Show-OpsHelp "Usage: ops/tail-events.ps1 NAME [--from N] [--json] [--database PATH]  Print a room's events and follow new ones (Ctrl-C stops)." $args
Assert-OpsArgument 'a room name' $args
Invoke-Host (@("journal", "events") + $args + @("--follow"))
