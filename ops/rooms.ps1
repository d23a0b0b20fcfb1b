# Usage: ops/rooms.ps1 [--json] [--database PATH]  List every room: sessions, last sequence, snapshot age, journal rows.
. (Join-Path $PSScriptRoot "_Host.ps1")
Show-OpsHelp "Usage: ops/rooms.ps1 [--json] [--database PATH]  List every room: sessions, last sequence, snapshot age, journal rows." $args
Invoke-Host (@("journal", "rooms") + $args)
