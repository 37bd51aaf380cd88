using System.Buffers;
using System.Text;

namespace Elbe.Routing.Http1;

public enum Http1ParseResult
{
    NeedMore,
    Complete,
    /// <summary>Malformed or ambiguous: the load balancer answers 502 and drops the target connection.</summary>
    Invalid,
}

/// <summary>
/// A strict HTTP/1.1 response parser for what targets send back (RFC 9112), refusing everything a request-smuggling
/// or response-splitting attack relies on (fact sheet 1.12): obs-fold, bare CR or LF, whitespace before ':',
/// control characters, repeated or malformed Content-Length, Transfer-Encoding other than chunked or together with
/// Content-Length, header names that only look like the framing ones, and header sections over 32 K.
/// Hand-written because no maintained library exposes a strict HTTP/1.1 response parser over pipes: Kestrel's
/// HttpParser is internal and server-side only, and HttpClient's is buried in SocketsHttpHandler.
/// </summary>
public static class Http1ResponseParser
{
    /// <summary>ALB forwards at most 32 K of response headers, counted as name + value + 4 per header.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>The longest status line, header section and final blank line together, a little over the header limit.</summary>
    public const int MaxHeadBytes = MaxHeaderBytes + 8 * 1024;

    /// <summary>A chunk-size line (size and extensions) longer than this is refused.</summary>
    public const int MaxChunkLineBytes = 4 * 1024;

    /// <summary>
    /// Parses one response head from the start of <paramref name="buffer"/>. On <see cref="Http1ParseResult.Complete"/>
    /// <paramref name="consumed"/> is the length of the head; a 1xx interim head comes back like any other and the
    /// caller reads the next one.
    /// </summary>
    public static Http1ParseResult ParseHead(ReadOnlySequence<byte> buffer, bool requestWasHead, Http1ResponseHead head, out long consumed)
    {
        consumed = 0;
        if (buffer.IsSingleSegment) return ParseHead(buffer.FirstSpan, requestWasHead, head, out consumed);
        var length = (int)Math.Min(buffer.Length, MaxHeadBytes + 1);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            return ParseHead(rented.AsSpan(0, length), requestWasHead, head, out consumed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static Http1ParseResult ParseHead(ReadOnlySpan<byte> span, bool requestWasHead, Http1ResponseHead head, out long consumed)
    {
        consumed = 0;
        var end = FindEndOfSection(span, requireFirstLine: true, out var invalid);
        if (invalid) return Http1ParseResult.Invalid;
        if (end < 0) return span.Length > MaxHeadBytes ? Http1ParseResult.Invalid : Http1ParseResult.NeedMore;

        head.Reset();
        var lineEnd = span.IndexOf((byte)'\n');
        if (!ParseStatusLine(span[..(lineEnd - 1)], head)) return Http1ParseResult.Invalid;

        var fields = new FieldState();
        if (!ParseFieldLines(span[(lineEnd + 1)..end], head.Headers, head.PreviousHeaders, ref fields, trailers: false)) return Http1ParseResult.Invalid;
        if (fields.ContentLength >= 0 && fields.Chunked) return Http1ParseResult.Invalid;
        // Upgrades never take this path, so a 101 is a target answering something nobody asked.
        if (head.StatusCode == 101) return Http1ParseResult.Invalid;

        head.ContentLength = fields.ContentLength;
        var keepAlive = head.MinorVersion == 1 ? !fields.ConnectionClose : fields.ConnectionKeepAlive && !fields.ConnectionClose;
        if (head.IsInterim || requestWasHead || head.StatusCode is 204 or 304)
            head.Framing = Http1BodyFraming.None;
        else if (fields.Chunked)
            head.Framing = Http1BodyFraming.Chunked;
        else if (fields.ContentLength >= 0)
            head.Framing = Http1BodyFraming.ContentLength;
        else
        {
            head.Framing = Http1BodyFraming.CloseDelimited;
            keepAlive = false;
        }
        head.KeepAlive = keepAlive;
        consumed = end;
        return Http1ParseResult.Complete;
    }

    /// <summary>
    /// Parses the trailer section that follows the last chunk ("0" CRLF already consumed): field lines, then an
    /// empty line. Framing and hop-by-hop fields are dropped, as they have no meaning in trailers.
    /// </summary>
    public static Http1ParseResult ParseTrailers(ReadOnlySequence<byte> buffer, List<KeyValuePair<string, string>> trailers, out long consumed)
    {
        consumed = 0;
        if (buffer.IsSingleSegment) return ParseTrailers(buffer.FirstSpan, trailers, out consumed);
        var length = (int)Math.Min(buffer.Length, MaxHeadBytes + 1);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            return ParseTrailers(rented.AsSpan(0, length), trailers, out consumed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static Http1ParseResult ParseTrailers(ReadOnlySpan<byte> span, List<KeyValuePair<string, string>> trailers, out long consumed)
    {
        consumed = 0;
        var end = FindEndOfSection(span, requireFirstLine: false, out var invalid);
        if (invalid) return Http1ParseResult.Invalid;
        if (end < 0) return span.Length > MaxHeadBytes ? Http1ParseResult.Invalid : Http1ParseResult.NeedMore;
        var fields = new FieldState();
        if (!ParseFieldLines(span[..end], trailers, null, ref fields, trailers: true)) return Http1ParseResult.Invalid;
        consumed = end;
        return Http1ParseResult.Complete;
    }

    /// <summary>
    /// Parses a chunk-size line: 1*HEXDIG, optional extensions (ignored), CRLF. <paramref name="consumed"/> covers the CRLF.
    /// </summary>
    public static Http1ParseResult ParseChunkSize(ReadOnlySequence<byte> buffer, out long size, out long consumed)
    {
        size = 0;
        consumed = 0;
        ReadOnlySpan<byte> span;
        byte[]? rented = null;
        if (buffer.IsSingleSegment) span = buffer.FirstSpan;
        else
        {
            var length = (int)Math.Min(buffer.Length, MaxChunkLineBytes + 1);
            rented = ArrayPool<byte>.Shared.Rent(length);
            buffer.Slice(0, length).CopyTo(rented);
            span = rented.AsSpan(0, length);
        }
        try
        {
            return ParseChunkSize(span, out size, out consumed);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static Http1ParseResult ParseChunkSize(ReadOnlySpan<byte> span, out long size, out long consumed)
    {
        size = 0;
        consumed = 0;
        var lf = span.IndexOf((byte)'\n');
        if (lf < 0) return span.Length > MaxChunkLineBytes ? Http1ParseResult.Invalid : NeedMoreUnlessBareCr(span);
        if (lf == 0 || span[lf - 1] != '\r' || lf > MaxChunkLineBytes) return Http1ParseResult.Invalid;
        var line = span[..(lf - 1)];

        var digits = 0;
        long value = 0;
        while (digits < line.Length && HexValue(line[digits]) is var hex and >= 0)
        {
            // 15 hex digits already exceed any body a target could send; more is an overflow attempt.
            if (digits == 15) return Http1ParseResult.Invalid;
            value = value * 16 + hex;
            digits++;
        }
        if (digits == 0) return Http1ParseResult.Invalid;

        var rest = line[digits..];
        if (!rest.IsEmpty)
        {
            // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ): whitespace may only lead up to a ';'.
            var i = 0;
            while (i < rest.Length && rest[i] is (byte)' ' or (byte)'\t') i++;
            if (i == rest.Length || rest[i] != ';') return Http1ParseResult.Invalid;
            if (rest[i..].ContainsAny(ControlBytes)) return Http1ParseResult.Invalid;
        }
        size = value;
        consumed = lf + 1;
        return Http1ParseResult.Complete;
    }

    private static Http1ParseResult NeedMoreUnlessBareCr(ReadOnlySpan<byte> partialLine)
    {
        // A CR must be the last byte seen so far (its LF still to come); one inside the line is a bare CR.
        var cr = partialLine.IndexOf((byte)'\r');
        return cr >= 0 && cr != partialLine.Length - 1 ? Http1ParseResult.Invalid : Http1ParseResult.NeedMore;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// The index just past the blank line that ends a section of CRLF-terminated lines, or -1 when it has not arrived
    /// yet. Any LF not preceded by CR is invalid at once, so a target cannot make the parser wait on a framing it would
    /// read differently.
    /// </summary>
    private static int FindEndOfSection(ReadOnlySpan<byte> span, bool requireFirstLine, out bool invalid)
    {
        invalid = false;
        var position = 0;
        while (true)
        {
            var lf = span[position..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                invalid = NeedMoreUnlessBareCr(span[position..]) == Http1ParseResult.Invalid;
                return -1;
            }
            var lineEnd = position + lf;
            if (lf == 0 || span[lineEnd - 1] != '\r')
            {
                invalid = true;
                return -1;
            }
            if (lf == 1)
            {
                // An empty line: the end of the section, unless it is where the status line should be.
                if (position == 0 && requireFirstLine) invalid = true;
                return invalid ? -1 : lineEnd + 1;
            }
            position = lineEnd + 1;
            if (position > MaxHeadBytes)
            {
                invalid = true;
                return -1;
            }
        }
    }

    private static bool ParseStatusLine(ReadOnlySpan<byte> line, Http1ResponseHead head)
    {
        // HTTP-version SP 3DIGIT [ SP reason-phrase ]; only HTTP/1.0 and HTTP/1.1 exist.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != ' ') return false;
        if (!IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11])) return false;
        var status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        if (status < 100) return false;
        if (line.Length > 12)
        {
            if (line[12] != ' ') return false;
            if (line[13..].ContainsAny(ControlBytes)) return false;
        }
        head.StatusCode = status;
        head.MinorVersion = line[7] - '0';
        return true;
    }

    private struct FieldState
    {
        public long ContentLength;
        public bool Chunked;
        public bool SawTransferEncoding;
        public bool ConnectionClose;
        public bool ConnectionKeepAlive;
        public int HeaderBytes;

        public FieldState() => ContentLength = -1;
    }

    private static bool ParseFieldLines(ReadOnlySpan<byte> section, List<KeyValuePair<string, string>> into, List<KeyValuePair<string, string>>? previous,
        ref FieldState state, bool trailers)
    {
        while (true)
        {
            var lf = section.IndexOf((byte)'\n');
            // Every line ends in CRLF (checked when the section was found); two bytes means the final empty line.
            if (lf <= 1) return true;
            var line = section[..(lf - 1)];
            section = section[(lf + 1)..];

            // obs-fold: a continuation line would join the previous header for one parser and not for another.
            if (line[0] is (byte)' ' or (byte)'\t') return false;
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) return false;
            var name = line[..colon];
            if (name.ContainsAnyExcept(TokenBytes)) return false;
            var value = TrimWhitespace(line[(colon + 1)..]);
            if (value.ContainsAny(ControlBytes)) return false;

            state.HeaderBytes += name.Length + value.Length + 4;
            if (state.HeaderBytes > MaxHeaderBytes) return false;

            switch (Http1HeaderNames.Classify(name))
            {
                case Http1HeaderKind.ContentLength:
                    if (trailers) continue;
                    if (state.ContentLength >= 0 || !TryParseContentLength(value, out state.ContentLength)) return false;
                    continue;
                case Http1HeaderKind.TransferEncoding:
                    if (trailers) continue;
                    // Only chunked is a framing this load balancer can read; anything else would be guessed at.
                    if (state.SawTransferEncoding || !Ascii.EqualsIgnoreCase(value, "chunked"u8)) return false;
                    state.SawTransferEncoding = true;
                    state.Chunked = true;
                    continue;
                case Http1HeaderKind.Connection:
                    ReadConnectionOptions(value, ref state);
                    continue;
                case Http1HeaderKind.HopByHop:
                    continue;
                case Http1HeaderKind.LooksLikeFraming:
                    return false;
            }
            into.Add(NewField(name, value, previous is not null && into.Count < previous.Count ? previous[into.Count] : default));
        }
    }

    /// <summary>The field as strings, reusing the previous response's strings at the same position when the bytes are the same.</summary>
    private static KeyValuePair<string, string> NewField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, KeyValuePair<string, string> previous)
    {
        if (previous.Key is not null && Ascii.Equals(name, previous.Key))
            return new KeyValuePair<string, string>(previous.Key, Ascii.Equals(value, previous.Value) ? previous.Value : Encoding.Latin1.GetString(value));
        return new KeyValuePair<string, string>(Http1HeaderNames.Intern(name), Encoding.Latin1.GetString(value));
    }

    private static void ReadConnectionOptions(ReadOnlySpan<byte> value, ref FieldState state)
    {
        foreach (var range in value.Split((byte)','))
        {
            var option = TrimWhitespace(value[range]);
            if (Ascii.EqualsIgnoreCase(option, "close"u8)) state.ConnectionClose = true;
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8)) state.ConnectionKeepAlive = true;
        }
    }

    private static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        // 1*DIGIT and nothing else: no sign, no list ("5, 5"), no inner spaces; 18 digits cannot overflow.
        if (value.IsEmpty || value.Length > 18) return false;
        foreach (var b in value)
        {
            if (!IsDigit(b)) return false;
            length = length * 10 + (b - '0');
        }
        return true;
    }

    private static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && value[start] is (byte)' ' or (byte)'\t') start++;
        var end = value.Length;
        while (end > start && value[end - 1] is (byte)' ' or (byte)'\t') end--;
        return value[start..end];
    }

    // The two byte classes lines are checked against, vectorised: tchar (RFC 9110 section 5.6.2) for names, and the
    // control characters (NUL, bare CR, LF, DEL...) no value may hold; HTAB is allowed.
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
