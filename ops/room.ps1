# Usage: ops/room.ps1 NAME [--json] [--database PATH]  Show one room: its sessions with ids, tags and attachments.
. (Join-Path $PSScriptRoot "_Host.ps1")
Show-OpsHelp "Usage: ops/room.ps1 NAME [--json] [--database PATH]  Show one room: its sessions with ids, tags and attachments." $args
Assert-OpsArgument 'a room name' $args
Invoke-Host (@("journal", "room") + $args)
