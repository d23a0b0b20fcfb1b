using AkkaHibernation.Ids;
using AkkaHibernation.Transport.Framing;

namespace AkkaHibernation.Transport.Takeover;

/// <summary>
/// Everything a socket's channel holds once it is parked for a hand-over, as plain data: the process that adopts the
/// socket goes on exactly where this one stopped. The reader is parked at a frame boundary, and what it had read beyond
/// it travels as <c>Unparsed</c>, so no byte read is lost; the writer between writes (or pieces of one), so no byte is
/// written twice. Heartbeat
/// deadlines are not carried: they start afresh with the adopting process.
/// </summary>
/// <param name="ConnectionId">The connection id, which the room's sessions know the socket by.</param>
/// <param name="Room">Its room.</param>
/// <param name="Client">The client's address as resolved at the upgrade (trusted proxies applied), for the per-address limit and the logs.</param>
/// <param name="Deflate">permessage-deflate was negotiated (without context takeover, so no compression state travels).</param>
/// <param name="AutoResponse">The room's auto-response pair, if set.</param>
/// <param name="LastAutoResponseAt">When the pair last answered, if ever.</param>
/// <param name="Unparsed">Bytes read from the socket beyond the frame boundary, not yet parsed (later frames, whole or in part).</param>
/// <param name="Unfinished">The fragments received so far of a message not yet finished.</param>
/// <param name="Unsent">The rest of a write the writer stopped in: frames already encoded for the wire.</param>
/// <param name="Queued">Frames queued and not yet written, in order.</param>
internal sealed record ChannelHandover(
    ConnectionId ConnectionId,
    RoomKey Room,
    string Client,
    bool Deflate,
    AutoResponsePair? AutoResponse,
    DateTimeOffset? LastAutoResponseAt,
    byte[] Unparsed,
    UnfinishedMessage? Unfinished,
    byte[]? Unsent,
    IReadOnlyList<QueuedFrame> Queued);

/// <summary>A data message whose first fragments have arrived: its type, whether it is compressed, the payload so far (unmasked).</summary>
internal sealed record UnfinishedMessage(Opcode Opcode, bool Compressed, byte[] Bytes);

/// <summary>A frame in a socket's outbound queue.</summary>
internal sealed record QueuedFrame(Opcode Opcode, byte[] Payload, int CloseCode, bool Compressed);
