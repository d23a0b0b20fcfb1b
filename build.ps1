#!/usr/bin/env pwsh
# Build script. Run with: dotnet tool restore; dotnet pwsh ./build.ps1 <target>
# Targets: restore | build | test | run | bench | publish | clean
param(
    [Parameter(Position = 0)]
    [ValidateSet('restore', 'build', 'test', 'run', 'bench', 'publish', 'clean')]
    [string] $Target = 'build',

    # Extra arguments passed to the underlying dotnet command (e.g. -- --idle-timeout 2s for run).
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $Rest = @()
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    param([string[]] $Arguments)
    Write-Host "> dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    # $ErrorActionPreference does not catch a native command's exit code.
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE" }
}

switch ($Target) {
    'restore' { Invoke-Dotnet @('restore') }
    'build'   { Invoke-Dotnet @('build', '--configuration', 'Release') }
    'test'    { Invoke-Dotnet (@('test') + $Rest) }
    'run'     { Invoke-Dotnet (@('run', '--project', 'src/Host', '--configuration', 'Release', '--') + $Rest) }
    'bench'   { Invoke-Dotnet (@('run', '--project', 'bench/AkkaHibernation.Bench', '--configuration', 'Release', '--') + $Rest) }
    'publish' {
        Invoke-Dotnet @('publish', 'src/Host', '--configuration', 'Release', '--runtime', 'linux-x64',
            '--self-contained', 'true', '--output', 'artifacts/publish/linux-x64')
        Write-Host 'Published to artifacts/publish/linux-x64 (run ./AkkaHibernation.Host there)'
    }
    'clean' {
        Invoke-Dotnet @('clean')
        Get-ChildItem -Path . -Include bin, obj -Directory -Recurse | Remove-Item -Recurse -Force
        if (Test-Path artifacts) { Remove-Item artifacts -Recurse -Force }
    }
}
