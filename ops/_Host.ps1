# Dot-sourced by the ops scripts.
# AKKAHIBERNATION_HOST may point at a published AkkaHibernation.Host executable; otherwise the repository's
# src/Host is run with `dotnet run` (slower: it checks the build first).
$ErrorActionPreference = 'Stop'

function Show-OpsHelp([string] $Usage, [object[]] $Arguments) {
    if ($Arguments.Count -gt 0 -and ($Arguments[0] -eq '--help' -or $Arguments[0] -eq '-h')) {
        Write-Output $Usage
        Write-Output @'
Options after the arguments go to the host's journal command: --database PATH (default data/journal.db or
$env:AKKAHIBERNATION_DATABASE), --json. Set AKKAHIBERNATION_HOST to a published host executable to skip the build check.
Exit codes: 0 ok, 1 verify failed, 2 bad arguments, 3 no database, 4 unknown room, 5 database locked.
'@
        exit 0
    }
}

function Assert-OpsArgument([string] $What, [object[]] $Arguments) {
    if ($Arguments.Count -eq 0) {
        [Console]::Error.WriteLine("$(Split-Path -Leaf $MyInvocation.PSCommandPath): $What is required (see --help)")
        exit 2
    }
}

function Invoke-Host([object[]] $Arguments) {
    if ($env:AKKAHIBERNATION_HOST) {
        & $env:AKKAHIBERNATION_HOST @Arguments
    } else {
        & dotnet run --project (Join-Path $PSScriptRoot '../src/Host') --verbosity quiet -- @Arguments
    }
    exit $LASTEXITCODE
}
