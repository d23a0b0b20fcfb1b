namespace AkkaHibernation.Transport.Compression;

/// <summary>One extension a client offered in <c>Sec-WebSocket-Extensions</c>: its name and its parameters in order.</summary>
/// <param name="Name">The extension token, e.g. <c>permessage-deflate</c>.</param>
/// <param name="Parameters">Each parameter's name and its value (null when it has none), unquoted.</param>
internal sealed record ExtensionOffer(string Name, IReadOnlyList<(string Name, string? Value)> Parameters)
{
    /// <summary>
    /// Parses a <c>Sec-WebSocket-Extensions</c> header (RFC 6455 §9.1: extensions separated by commas, each a token
    /// with <c>; name[=value]</c> parameters, a value a token or a quoted string). Returns null when the header does not
    /// follow that grammar: the caller then declines every offer in it.
    /// </summary>
    public static IReadOnlyList<ExtensionOffer>? ParseAll(string header)
    {
        var offers = new List<ExtensionOffer>();
        var reader = new HeaderReader(header);
        while (true)
        {
            reader.SkipSpaces();
            if (reader.AtEnd)
                return offers;
            if (reader.TryConsume(','))
                continue; // RFC 9110's list syntax allows empty elements
            var name = reader.Token();
            if (name is null)
                return null;
            var parameters = new List<(string, string?)>();
            while (true)
            {
                reader.SkipSpaces();
                if (reader.AtEnd || reader.TryConsume(','))
                    break;
                if (!reader.TryConsume(';'))
                    return null;
                reader.SkipSpaces();
                var parameter = reader.Token();
                if (parameter is null)
                    return null;
                reader.SkipSpaces();
                string? value = null;
                if (reader.TryConsume('='))
                {
                    reader.SkipSpaces();
                    value = reader.TokenOrQuoted();
                    if (value is null)
                        return null;
                }
                parameters.Add((parameter, value));
            }
            offers.Add(new ExtensionOffer(name, parameters));
        }
    }

    /// <summary>A cursor over a header value with RFC 9110's token and quoted-string rules.</summary>
    private ref struct HeaderReader(string text)
    {
        private const string Delimiters = "\"(),/:;<=>?@[\\]{}";
        private int _at;

        public readonly bool AtEnd => _at >= text.Length;

        public void SkipSpaces()
        {
            while (_at < text.Length && text[_at] is ' ' or '\t')
                _at++;
        }

        public bool TryConsume(char c)
        {
            if (_at >= text.Length || text[_at] != c)
                return false;
            _at++;
            return true;
        }

        public string? Token()
        {
            var start = _at;
            while (_at < text.Length && IsTokenChar(text[_at]))
                _at++;
            return _at > start ? text[start.._at] : null;
        }

        public string? TokenOrQuoted()
        {
            if (!TryConsume('"'))
                return Token();
            var value = new System.Text.StringBuilder();
            while (_at < text.Length)
            {
                var c = text[_at++];
                if (c == '"')
                    return value.ToString();
                if (c == '\\')
                {
                    if (_at >= text.Length)
                        return null;
                    c = text[_at++];
                }
                value.Append(c);
            }
            return null; // unterminated
        }

        private static bool IsTokenChar(char c) => c > ' ' && c < 127 && !Delimiters.Contains(c);
    }
}
