namespace AkkaHibernation.Bench.Cli;

/// <summary>The usage text.</summary>
public static class Usage
{
    public const string Text = """
        Usage: dotnet run --project bench/AkkaHibernation.Bench -c Release -- <scenario> [options]

        Scenarios:
          fanout [--clients C] [--messages M]
                 C clients in one room, each sending M messages, one at a time after its own echo
                 (defaults 10 and 500). Frames/s received by all clients, own-echo p50/p99.
          idle   [--connections N] [--rooms R] [--idle-timeout-ms T]
                 Server RSS with N connections over R rooms resident, then hibernated
                 (defaults 2000, 20, 1000). KiB per connection; ping still answered.
          wake   [--sessions K]
                 K clients in one room (idle timeout 1s): time from hibernation to the sender's
                 echo and to the last client's broadcast, 5 rounds (default 1000).
          all    fanout 10x500, fanout 100x50, idle 2000/20, wake 1000, in sequence.

        Each scenario prints a summary and one line "RESULT {json}". Builds src/Host (Release) first.
        Exit codes: 0 all checks passed, 1 a scenario failed, 2 bad command line.
        """;
}
