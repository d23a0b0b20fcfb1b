namespace AkkaHibernation.Transport.Sockets;

/// <summary>Thrown out of a socket's parked loop once another process has taken the socket over: the loop ends and touches nothing.</summary>
internal sealed class SocketHandedOverException() : Exception("The socket was handed over to another process");
