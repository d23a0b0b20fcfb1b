# Usage: ops/verify.ps1 [--json] [--database PATH]  Replay every room; exit code 1 lists the rows that do not replay.
. (Join-Path $PSScriptRoot "_Host.ps1")
Show-OpsHelp "Usage: ops/verify.ps1 [--json] [--database PATH]  Replay every room; exit code 1 lists the rows that do not replay." $args
Invoke-Host (@("journal", "verify") + $args)
