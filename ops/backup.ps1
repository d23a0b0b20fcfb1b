# Usage: ops/backup.ps1 DESTINATION [--database PATH]  Consistent copy of the journal (SQLite online backup), safe while the server runs.
. (Join-Path $PSScriptRoot "_Host.ps1")
Show-OpsHelp "Usage: ops/backup.ps1 DESTINATION [--database PATH]  Consistent copy of the journal (SQLite online backup), safe while the server runs." $args
Assert-OpsArgument 'a destination file' $args
Invoke-Host (@("journal", "backup") + $args)
