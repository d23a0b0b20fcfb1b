using Akka.Actor;
using Akka.Event;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Connections;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The room's sessions: connects, messages (put in order by the connection actors in cluster mode), closes.</summary>
public sealed partial class RoomActor
{
    private void HandleConnect(Connect connect)
    {
        var replyTo = Sender;
        var connectionId = connect.Request.ConnectionId;
        if (_runtime.State.Sessions.Count >= _settings.MaxConnectionsPerRoom)
        {
            _log.Warning("Room {Room}: refused connection {ConnectionId}, room is full", _room, connectionId);
            replyTo.Tell(new Rejected(connectionId, 503,
                $"Room '{_room}' is full: it holds {_settings.MaxConnectionsPerRoom} connections"));
            return;
        }

        _runtime.Mark();
        ConnectResult result;
        try
        {
            result = _handlers.Timed(nameof(IRoomBehaviour.OnConnect), () => Behaviour.OnConnect(connect.Request));
        }
        catch (Exception error)
        {
            _runtime.RollbackToMark();
            _log.Error(error, "Room {Room}: OnConnect failed for connection {ConnectionId}", _room, connectionId);
            result = ConnectResult.Reject(500, "Room failed to accept the connection");
        }

        switch (result)
        {
            case ConnectResult.Accepted { Subprotocol: { } selected } when !connect.Request.Subprotocols.Contains(selected):
                _runtime.RollbackToMark();
                _log.Error("Room {Room}: OnConnect selected subprotocol '{Subprotocol}' for connection {ConnectionId}, which the client did not offer (offered: {Offered})",
                    _room, selected, connectionId, string.Join(", ", connect.Request.Subprotocols));
                replyTo.Tell(new Rejected(connectionId, 500, $"Room selected subprotocol '{selected}', which the client did not offer"));
                break;
            case ConnectResult.Accepted accepted
                when accepted.Socket.ConnectionId == connectionId && _runtime.AcceptedSinceMark(accepted.Socket):
                _remoteSockets.Follow(Context, _room, [(RoomWebSocket)accepted.Socket], probe: false);
                _connections.Make(Context, (RoomWebSocket)accepted.Socket);
                Commit(() => replyTo.Tell(new Accepted(connectionId, _runtime.State.AutoResponse, accepted.Subprotocol)));
                break;
            case ConnectResult.Accepted:
                _runtime.RollbackToMark();
                _log.Error("Room {Room}: OnConnect returned a socket it did not accept for connection {ConnectionId}", _room, connectionId);
                replyTo.Tell(new Rejected(connectionId, 500, "Room returned a socket it did not accept"));
                break;
            case ConnectResult.Rejected rejected:
                if (_runtime.AcceptedSinceMark(_runtime.Find(connectionId)!))
                    _runtime.RollbackToMark();
                Commit(() => replyTo.Tell(new Rejected(connectionId, rejected.Status, rejected.Body)));
                break;
        }
    }

    private void HandleInbound(Inbound inbound)
    {
        var socket = _runtime.Find(inbound.ConnectionId);
        if (socket is null)
        {
            _log.Debug("Room {Room}: dropped a message for unknown connection {ConnectionId}", _room, inbound.ConnectionId);
            return;
        }
        if (inbound.Seq == 0)
        {
            _handlers.Run(Behaviour, socket, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(socket, inbound.Message));
            Commit();
            return;
        }

        // Numbered (cluster mode): its connection actor puts it in send order first.
        _connections.Make(Context, socket).Tell(inbound);
        socket.HasNumberedInbound = true;
        _connectionRepliesDue++;
    }

    /// <summary>A connection actor's messages in send order: handled, then confirmed behind their frames.</summary>
    private void OnInOrder(ConnectionProtocol.InOrder inOrder)
    {
        _connectionRepliesDue--;
        if (_runtime.Find(inOrder.ConnectionId) is not { } socket)
        {
            _log.Debug("Room {Room}: dropped {Count} messages of connection {ConnectionId}, closed meanwhile", _room, inOrder.Messages.Count, inOrder.ConnectionId);
            return;
        }
        foreach (var message in inOrder.Messages)
            _handlers.Run(Behaviour, socket, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(socket, message));
        // Confirmed once the handlers' events are persisted, behind their frames, so its node stops keeping the messages.
        if (inOrder.ConfirmUpTo is { } upTo)
            _runtime.Acknowledge(socket, upTo);
        Commit();
    }

    private void CloseSession(ConnectionId connectionId, int code, string reason, bool wasClean)
    {
        // Its connection actor may hold messages for an earlier one lost with its node: the client sent them before
        // closing, so they are handled first.
        if (_runtime.Find(connectionId) is { HasNumberedInbound: true, Connection: { } connection })
        {
            connection.Tell(new ConnectionProtocol.Closing(code, reason, wasClean));
            _connectionRepliesDue++;
            return;
        }
        EndSession(connectionId, code, reason, wasClean);
    }

    private void OnEnded(ConnectionProtocol.Ended ended)
    {
        _connectionRepliesDue--;
        if (_runtime.Find(ended.ConnectionId) is { } closing)
        {
            foreach (var message in ended.Held)
                _handlers.Run(Behaviour, closing, nameof(IRoomBehaviour.OnMessage), () => Behaviour.OnMessage(closing, message));
        }
        EndSession(ended.ConnectionId, ended.Code, ended.Reason, ended.WasClean);
    }

    private void EndSession(ConnectionId connectionId, int code, string reason, bool wasClean)
    {
        var socket = _runtime.EndSession(connectionId, code, reason, wasClean);
        if (socket is null)
        {
            _log.Debug("Room {Room}: close {Code} for unknown (or already closed) connection {ConnectionId}", _room, code, connectionId);
            return;
        }
        _handlers.Run(Behaviour, socket, nameof(IRoomBehaviour.OnClose), () => Behaviour.OnClose(socket, code, reason, wasClean));
        _runtime.ReleaseSession(socket);
        Commit();
    }

    /// <summary>The node holding some of the room's sockets is gone, and its sockets with it: close them as vanished.</summary>
    private void OnEdgeGone(IActorRef edge)
    {
        if (!_remoteSockets.TryLose(edge, _runtime.LiveSockets, out var lost))
            return;
        _log.Warning("Room {Room}: the node holding {Count} of its sockets is gone ({Node}); closing them with 1006", _room, lost.Count, edge.Path.Address);
        foreach (var connectionId in lost)
            CloseSession(connectionId, CloseCodes.Abnormal, "The node holding the socket is gone", false);
    }
}
