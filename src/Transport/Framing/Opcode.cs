namespace AkkaHibernation.Transport.Framing;

/// <summary>RFC 6455 §5.2 frame opcodes.</summary>
internal enum Opcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

internal static class OpcodeExtensions
{
    public static bool IsControl(this Opcode opcode) => ((byte)opcode & 0x8) != 0;

    public static bool IsDefined(this Opcode opcode) =>
        opcode is Opcode.Continuation or Opcode.Text or Opcode.Binary or Opcode.Close or Opcode.Ping or Opcode.Pong;
}
