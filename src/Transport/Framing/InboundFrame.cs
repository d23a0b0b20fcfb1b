namespace AkkaHibernation.Transport.Framing;

/// <summary>
/// What <c>FrameReader</c> hands over: a control frame, or a whole data message (reassembled from its fragments and
/// inflated if it was compressed). A data message's payload is valid until the reader's next read.
/// </summary>
/// <param name="Opcode">Close, Ping or Pong for a control frame; Text or Binary for a message.</param>
/// <param name="Payload">The unmasked payload.</param>
internal readonly record struct InboundFrame(Opcode Opcode, ReadOnlyMemory<byte> Payload);
