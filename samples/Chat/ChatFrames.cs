using System.Text.Json;
using System.Text.Json.Serialization;

namespace AkkaHibernation.Samples.Chat;

/// <summary>The JSON frames of the chat protocol. Clients send <see cref="Say"/>; the room sends the others.</summary>
public static class ChatFrames
{
    /// <summary>JSON as the browser page reads it: camelCase names.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Any frame; <see cref="Type"/> says which.</summary>
    [JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
    [JsonDerivedType(typeof(Say), "say")]
    [JsonDerivedType(typeof(Welcome), "welcome")]
    [JsonDerivedType(typeof(Joined), "join")]
    [JsonDerivedType(typeof(Left), "leave")]
    [JsonDerivedType(typeof(Message), "message")]
    [JsonDerivedType(typeof(Error), "error")]
    public abstract record Frame;

    /// <summary>Client to room: post <paramref name="Text"/>.</summary>
    public sealed record Say(string Text) : Frame;

    /// <summary>Room to a newcomer: who they are, who is here, and the recent history (oldest first).</summary>
    public sealed record Welcome(string You, IReadOnlyList<string> Members, IReadOnlyList<ChatLine> History) : Frame;

    /// <summary>Room to everyone: <paramref name="Name"/> opened their first socket.</summary>
    public sealed record Joined(string Name, IReadOnlyList<string> Members) : Frame;

    /// <summary>Room to everyone: <paramref name="Name"/> closed their last socket.</summary>
    public sealed record Left(string Name, IReadOnlyList<string> Members) : Frame;

    /// <summary>Room to everyone: a new line of the history.</summary>
    public sealed record Message(ChatLine Line) : Frame;

    /// <summary>Room to one socket: its last frame was refused, and why.</summary>
    public sealed record Error(string Reason) : Frame;

    /// <summary>The frame as JSON text.</summary>
    public static string Encode(Frame frame) => JsonSerializer.Serialize(frame, Json);

    /// <summary>The frame in <paramref name="text"/>, or null when it is not a frame of this protocol.</summary>
    public static Frame? Decode(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<Frame>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null; // a JSON object without a "type" this protocol knows
        }
    }
}
