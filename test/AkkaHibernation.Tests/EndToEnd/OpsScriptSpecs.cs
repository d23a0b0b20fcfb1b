using System.Text.Json;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>The ops scripts an operator keeps, run as an operator would, against a server's journal.</summary>
[ProcessLevel]
public sealed class OpsScriptSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private static readonly string[] Names = ["rooms", "room", "tail-events", "verify", "backup"];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Seed.IdentifyAsync(await Connect("/rooms/ops"));
    }

    [Fact]
    public async Task Every_script_explains_itself_with_help()
    {
        foreach (var name in Names)
        {
            var (bashExit, bashOut, _) = await Script.BashAsync($"{name}.sh", "--help");
            var (pwshExit, pwshOut, pwshErr) = await Script.PwshAsync($"{name}.ps1", "--help");

            Assert.Equal(0, bashExit);
            Assert.StartsWith($"Usage: ops/{name}.sh", bashOut);
            Assert.True(pwshExit == 0, pwshErr);
            Assert.StartsWith($"Usage: ops/{name}.ps1", pwshOut);
        }
    }

    [Fact]
    public async Task A_missing_room_name_is_exit_code_2()
    {
        var (exitCode, _, stderr) = await Script.BashAsync("room.sh");

        Assert.Equal(2, exitCode);
        Assert.Equal("room.sh: a room name is required (see --help)", stderr.Trim());
    }

    [Fact]
    public async Task Rooms_and_room_read_the_live_servers_journal()
    {
        var (exitCode, stdout, stderr) = await Script.BashAsync("rooms.sh", "--json", "--database", Database.Path);
        Assert.True(exitCode == 0, stderr);
        var ops = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "ops");
        Assert.Equal(1, ops.GetProperty("sessions").GetInt32());

        var (pwshExit, pwshOut, pwshErr) = await Script.PwshAsync("room.ps1", "ops", "--database", Database.Path);
        Assert.True(pwshExit == 0, pwshErr);
        Assert.StartsWith("room ops: 1 sessions", pwshOut);
    }

    [Fact]
    public async Task Verify_passes_and_backup_copies_the_live_database_consistently()
    {
        var (verifyExit, verifyOut, verifyErr) = await Script.BashAsync("verify.sh", "--database", Database.Path);
        Assert.True(verifyExit == 0, verifyErr);
        Assert.Contains("rooms replay to a valid state", verifyOut);

        var destination = Database.Path + ".backup";
        var (backupExit, _, backupErr) = await Script.PwshAsync("backup.ps1", destination, "--database", Database.Path);
        Assert.True(backupExit == 0, backupErr);
        var (restoredExit, restored, restoredErr) = await Script.BashAsync("room.sh", "ops", "--json", "--database", destination);
        Assert.True(restoredExit == 0, restoredErr);
        Assert.Equal(1, JsonDocument.Parse(restored).RootElement.GetProperty("room").GetProperty("sessions").GetInt32());

        var (again, _, refusal) = await Script.BashAsync("backup.sh", destination, "--database", Database.Path);
        Assert.Equal(2, again);
        Assert.Contains("already exists", refusal);
    }
}
