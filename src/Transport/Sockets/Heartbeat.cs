namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// One socket's liveness, for the server's heartbeat sweep. HttpListener has no keep-alive timeout, so a half-open TCP
/// connection is only found by asking: a socket silent for the interval gets a protocol ping, and one still silent
/// for the timeout after it is dead. Any frame from the peer, a pong or not, proves it alive.
/// </summary>
internal sealed class Heartbeat
{
    /// <summary>What the sweep should do to the socket now.</summary>
    public enum Verdict
    {
        /// <summary>Heard from recently enough, or a ping is still within its timeout.</summary>
        Alive,

        /// <summary>Silent for the interval: send a ping.</summary>
        Ping,

        /// <summary>Silent for the timeout after its ping: drop it.</summary>
        Dead,
    }

    private long _lastHeard = Environment.TickCount64;
    private long _pingSentAt;

    /// <summary>A frame arrived from the peer.</summary>
    public void Heard()
    {
        Interlocked.Exchange(ref _lastHeard, Environment.TickCount64);
        Interlocked.Exchange(ref _pingSentAt, 0);
    }

    /// <summary>
    /// The sweep's look at the socket at <paramref name="now"/> (milliseconds, <see cref="Environment.TickCount64"/>);
    /// the settings come with each call rather than living in every socket's object.
    /// </summary>
    public Verdict Check(long now, TimeSpan interval, TimeSpan timeout)
    {
        var pingSentAt = Interlocked.Read(ref _pingSentAt);
        if (pingSentAt == 0)
        {
            if (now - Interlocked.Read(ref _lastHeard) < (long)interval.TotalMilliseconds)
                return Verdict.Alive;
            Interlocked.Exchange(ref _pingSentAt, now);
            return Verdict.Ping;
        }
        return now - pingSentAt < (long)timeout.TotalMilliseconds ? Verdict.Alive : Verdict.Dead;
    }
}
