namespace AkkaHibernation.Ids;

/// <summary>An id that is one validated string, stored and sent as that plain string (<see cref="StringIdJsonConverter{TId}"/>).</summary>
public interface IStringId<TSelf> where TSelf : struct, IStringId<TSelf>
{
    /// <summary>The id as stored: the journal and the wire hold exactly this string.</summary>
    string Value { get; }

    /// <summary>Parses a stored value; throws <see cref="FormatException"/> saying why it is not valid.</summary>
    static abstract TSelf Parse(string value);
}
