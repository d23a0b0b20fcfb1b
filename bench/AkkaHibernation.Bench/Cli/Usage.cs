namespace AkkaHibernation.Bench.Cli;

/// <summary>The usage text.</summary>
public static class Usage
{
    public const string Text = """
        Usage: dotnet run --project bench/AkkaHibernation.Bench -c Release -- <scenario> [options]

        Scenarios:
          fanout  [--clients C] [--messages M] [--message-bytes B] [--deflate on|off] [--target server|baseline]
                  [--runs N] [--nodes K --postgres CS]
                  C clients in one room, each sending M messages, one at a time after its own echo
                  (defaults 10 and 500), each padded to B bytes (default: not padded), with clients that
                  offer permessage-deflate (default off). Frames/s received by all clients, own-echo
                  p50/p99, bytes the clients read off the wire per frame.
                  --nodes K runs K hosts in cluster mode on the PostgreSQL database CS (an Npgsql
                  connection string), client i on node i mod K.
          idle    [--connections N] [--rooms R] [--idle-timeout-ms T] [--deflate on|off] [--hold-seconds S] [--target server|baseline] [--runs N]
                  Server RSS with N connections over R rooms resident, then hibernated
                  (defaults 2000, 20, 1000). KiB per connection; ping still answered. --hold-seconds
                  keeps the hibernated server up S s first, to take a heap dump of it.
          wake    [--sessions K] [--runs N]
                  K clients in one room (idle timeout 1s): time from hibernation to the sender's
                  echo and to the last client's broadcast, 5 rounds (default 1000).
          connect [--clients N] [--warmup W] [--target server|baseline] [--hocon 'key = value'] [--runs N]
                  A reconnect storm: N clients (default 5000) open sockets into one resident room, 100
                  handshakes in flight; connections per second, and the room must count all N. --warmup
                  first has W clients come and go in another room (a storm after a blip, not a restart);
                  --hocon starts the server with one more setting.
          sleepers [--rooms N] [--in-flight K] [--runs N]
                  N distinct rooms (default 20000) each used once (connect, message, echo, close; K at a
                  time, default 64) and left asleep: the node's managed heap after its memory release,
                  before and after them, in bytes per sleeping room.
          sockets [--connections N] [--rooms R] [--cycles K] [--hold-seconds S] [--runs N]
                  N connections (default 19000) over R rooms (default 190), every room asleep: the node's
                  managed heap and RSS per socket after its memory release, against the same before the
                  connections; with K, again after K hibernate/wake cycles of the same rooms (default 0).
                  --hold-seconds leaves the node S s after each reading, to take a heap dump of it.
          takeover [--sockets N] [--rooms R] [--settle-seconds S] [--runs N]
                  N clients (default 1000) in R resident rooms (default 10); after S more seconds (default
                  none: a server in its first seconds) a second host process takes them over
                  (--takeover). The hand-over time and the time the port was bound by neither
                  process (as the new process logs them), the old process's exit, and a TCP connect
                  probe every 2 ms: refused connects and the longest run of them. Then every client
                  must hear a message of its room.
          journal [--cycles C] [--seconds S] [--snapshot-every E] [--runs N]
                  C connect/message/close cycles in one room (at most S seconds; defaults 1000, 120),
                  then journal and snapshot rows of the room in the stopped server's SQLite file,
                  checked against the snapshot policy (snapshot every E events, default 100).
          capacity [--connections N] [--per-process P] [--nodes K --postgres CS] [--runs N]
                  N clients (default 32768) in one room, spread over client processes of at most P
                  sockets each (default 16384; one process may not open more than the open-file limit)
                  and, with --nodes, over K cluster hosts. A message reaches every client; the room
                  hibernates; a second message wakes it and reaches every client again.
          compare fanout|idle [that scenario's options] [--rounds N]
                  The scenario against the baseline and the server, N rounds interleaved (default 3);
                  medians of each and the ratio server/baseline.
          deflate fanout|idle [that scenario's options] [--rounds N]
                  The scenario against the server with clients that do not offer permessage-deflate
                  and clients that do, N rounds interleaved (default 3); medians and the ratio deflate/uncompressed.
          all     [--runs N]  fanout 10x500, fanout 100x50, idle 2000/20, wake 1000, journal 1000, in sequence.

        --target baseline runs the bench's own plain HttpListener + System.Net.WebSockets server (same routes
        and lines as the seed room, no journal, no hibernation) instead of the host. --runs N repeats a
        scenario with a fresh server each time (default 1) and reports every run and the medians.

        Each scenario prints a summary and one line "RESULT {json}". Builds src/Host (Release) first.
        Exit codes: 0 all checks passed, 1 a scenario failed, 2 bad command line.
        """;
}
