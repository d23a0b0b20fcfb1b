using System.Text;

namespace AkkaHibernation.Bench.Baseline;

/// <summary>
/// The seed room's logic in its plainest form: a member list under a lock, three lines per message, each encoded
/// once and queued to every recipient. The lock makes one message's lines reach everyone in one order, as the
/// host's single-threaded room does.
/// </summary>
public sealed class BaselineRoom
{
    private const string Prefix = "[Durable Object] message: ";
    private readonly List<BaselineConnection> _members = new();

    public void Join(BaselineConnection connection)
    {
        lock (_members)
            _members.Add(connection);
    }

    public void Leave(BaselineConnection connection)
    {
        lock (_members)
            _members.Remove(connection);
    }

    public void OnMessage(BaselineConnection sender, string text)
    {
        lock (_members)
        {
            var tail = $"{text}, from: {sender.SessionId}, to: ";
            var total = $". Total connections: {_members.Count}";
            sender.Queue(Encode($"{Prefix}{tail}the initiating client{total}"));

            var toAll = Encode($"{Prefix}{tail}all clients{total}");
            foreach (var member in _members)
                member.Queue(toAll);

            var toOthers = Encode($"{Prefix}{tail}all clients except the initiating client{total}");
            foreach (var member in _members)
            {
                if (!ReferenceEquals(member, sender))
                    member.Queue(toOthers);
            }
        }
    }

    private static ReadOnlyMemory<byte> Encode(string text) => Encoding.UTF8.GetBytes(text);
}
