using System.Buffers;
using System.Text;
using Elbe.Routing.Http1;

namespace Elbe.Routing.Tests.Http1;

public class Http1ResponseParserTests
{
    private static Http1ParseResult Parse(string text, out Http1ResponseHead head, bool requestWasHead = false)
    {
        head = new Http1ResponseHead();
        return Http1ResponseParser.ParseHead(Encoding.Latin1.GetBytes(text), requestWasHead, head, out _);
    }

    private static void AssertInvalid(string text) => Assert.Equal(Http1ParseResult.Invalid, Parse(text, out _));

    [Fact]
    public void A_plain_response_head_parses_with_its_end_to_end_headers_and_length()
    {
        var text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\nX-A:  padded \t\r\n\r\nhello";
        var head = new Http1ResponseHead();
        Assert.Equal(Http1ParseResult.Complete, Http1ResponseParser.ParseHead(Encoding.ASCII.GetBytes(text), false, head, out var consumed));
        Assert.Equal(text.Length - 5, consumed);
        Assert.Equal(200, head.StatusCode);
        Assert.Equal(Http1BodyFraming.ContentLength, head.Framing);
        Assert.Equal(5, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Equal([new("Content-Type", "text/plain"), new("X-A", "padded")], head.Headers);
    }

    [Fact]
    public void A_repeated_header_value_reuses_the_previous_responses_string_and_a_changed_one_does_not()
    {
        var head = new Http1ResponseHead();
        var first = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Request: 1\r\nContent-Length: 0\r\n\r\n");
        var second = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nServer: nginx\r\nX-Request: 2\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(Http1ParseResult.Complete, Http1ResponseParser.ParseHead(first, false, head, out _));
        var server = head.Headers[0].Value;
        Assert.Equal(Http1ParseResult.Complete, Http1ResponseParser.ParseHead(second, false, head, out _));
        Assert.Same(server, head.Headers[0].Value);
        Assert.Equal([new("Server", "nginx"), new("X-Request", "2")], head.Headers);
    }

    [Fact]
    public void A_head_split_across_segments_parses_like_a_contiguous_one()
    {
        var bytes = Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nServer: t\r\n\r\n");
        var first = new Segment(bytes.AsMemory(0, 10));
        var last = first.Append(bytes.AsMemory(10));
        var head = new Http1ResponseHead();
        var result = Http1ResponseParser.ParseHead(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), false, head, out var consumed);
        Assert.Equal(Http1ParseResult.Complete, result);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(204, head.StatusCode);
        Assert.Equal(Http1BodyFraming.None, head.Framing);
    }

    [Fact]
    public void An_unfinished_head_asks_for_more()
    {
        Assert.Equal(Http1ParseResult.NeedMore, Parse("HTTP/1.1 200 OK\r\nContent-Len", out _));
        Assert.Equal(Http1ParseResult.NeedMore, Parse("HTTP/1.1 200 OK\r\nA: b\r", out _));
        Assert.Equal(Http1ParseResult.NeedMore, Parse("", out _));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", Http1BodyFraming.Chunked, true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked \r\n\r\n", Http1BodyFraming.Chunked, true)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", Http1BodyFraming.CloseDelimited, false)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", Http1BodyFraming.None, true)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", Http1BodyFraming.None, true)]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", Http1BodyFraming.None, true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", Http1BodyFraming.ContentLength, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\n", Http1BodyFraming.ContentLength, true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: x, close\r\n\r\n", Http1BodyFraming.ContentLength, false)]
    public void Framing_and_keep_alive_follow_rfc_9112(string text, Http1BodyFraming framing, bool keepAlive)
    {
        Assert.Equal(Http1ParseResult.Complete, Parse(text, out var head));
        Assert.Equal(framing, head.Framing);
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Fact]
    public void A_response_to_head_has_no_body_but_keeps_its_length()
    {
        Assert.Equal(Http1ParseResult.Complete, Parse("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", out var head, requestWasHead: true));
        Assert.Equal(Http1BodyFraming.None, head.Framing);
        Assert.Equal(42, head.ContentLength);
    }

    [Fact]
    public void Hop_by_hop_headers_are_not_passed_on()
    {
        Assert.Equal(Http1ParseResult.Complete, Parse("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nUpgrade: h2c\r\nProxy-Connection: x\r\nTrailer: X-T\r\nTE: trailers\r\nContent-Length: 0\r\nX-Kept: 1\r\n\r\n", out var head));
        Assert.Equal([new("X-Kept", "1")], head.Headers);
    }

    // The desync table (fact sheet 1.12) read for responses: everything two parsers could frame differently is refused.
    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")] // DuplicateContentLength
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")] // MultipleContentLength
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n")] // BadContentLength
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")] // BothTeClPresent
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")] // MultipleTransferEncodingChunked
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")] // BadTransferEncoding / not readable
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding : chunked\r\n\r\n")] // whitespace before ':'
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer_Encoding: chunked\r\n\r\n")] // SuspiciousHeader
    [InlineData("HTTP/1.1 200 OK\r\nContent_Length: 5\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding.: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n\u0001Transfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n")] // MultilineHeader (obs-fold)
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n\tfolded\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 0\n\n")] // NonCrLfLineTermination
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n")] // BadHeader: bare CR
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\0b\r\n\r\n")] // NUL
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\u007fb\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n")] // name not a token
    [InlineData("HTTP/1.1 200 OK\r\n: 1\r\n\r\n")] // EmptyHeader
    [InlineData("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n")] // MissingHeaderColon
    [InlineData("HTTP/1.1 200 OK\r\n \r\n\r\n")]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n")] // BadVersion
    [InlineData("HTTP/2.0 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")]
    [InlineData("THIS IS NOT HTTP AT ALL\r\n\r\n")]
    [InlineData("\r\nHTTP/1.1 200 OK\r\n\r\n")]
    public void Ambiguous_or_malformed_heads_are_invalid(string text) => AssertInvalid(text);

    [Fact]
    public void Headers_over_32K_are_invalid_and_just_under_pass()
    {
        var under = new string('h', Http1ResponseParser.MaxHeaderBytes - 4 - 5);
        Assert.Equal(Http1ParseResult.Complete, Parse($"HTTP/1.1 200 OK\r\nX-Big: {under}\r\n\r\n", out _));
        AssertInvalid($"HTTP/1.1 200 OK\r\nX-Big: {under}h\r\n\r\n");
        // A head that never ends is refused once it is past the limit, not waited on.
        Assert.Equal(Http1ParseResult.Invalid, Parse("HTTP/1.1 200 OK\r\nX-Big: " + new string('h', Http1ResponseParser.MaxHeadBytes), out _));
    }

    [Theory]
    [InlineData("0\r\n", 0, 3)]
    [InlineData("1a\r\n", 26, 4)]
    [InlineData("00FF\r\nxx", 255, 6)]
    [InlineData("5;name=value\r\n", 5, 14)]
    [InlineData("5 ;name\r\n", 5, 9)]
    public void Chunk_sizes_parse_with_extensions_ignored(string text, long size, long consumed)
    {
        Assert.Equal(Http1ParseResult.Complete, Http1ResponseParser.ParseChunkSize(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), out var parsedSize, out var parsedConsumed));
        Assert.Equal(size, parsedSize);
        Assert.Equal(consumed, parsedConsumed);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("g\r\n")]
    [InlineData("-1\r\n")]
    [InlineData("+1\r\n")]
    [InlineData("0x5\r\n")]
    [InlineData("5 \r\n")]
    [InlineData("5 5\r\n")]
    [InlineData("5\n")]
    [InlineData("5\r5\r\n")]
    [InlineData("1000000000000000\r\n")]
    [InlineData("5;a\0\r\n")]
    public void Invalid_chunk_sizes_are_refused(string text) =>
        Assert.Equal(Http1ParseResult.Invalid, Http1ResponseParser.ParseChunkSize(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), out _, out _));

    [Fact]
    public void A_partial_chunk_size_line_asks_for_more_until_it_is_too_long()
    {
        Assert.Equal(Http1ParseResult.NeedMore, Http1ResponseParser.ParseChunkSize(new ReadOnlySequence<byte>("1f"u8.ToArray()), out _, out _));
        Assert.Equal(Http1ParseResult.NeedMore, Http1ResponseParser.ParseChunkSize(new ReadOnlySequence<byte>("1f\r"u8.ToArray()), out _, out _));
        var endless = Encoding.ASCII.GetBytes("1;" + new string('x', Http1ResponseParser.MaxChunkLineBytes));
        Assert.Equal(Http1ParseResult.Invalid, Http1ResponseParser.ParseChunkSize(new ReadOnlySequence<byte>(endless), out _, out _));
    }

    [Fact]
    public void Trailers_parse_without_framing_fields()
    {
        var trailers = new List<KeyValuePair<string, string>>();
        var bytes = Encoding.ASCII.GetBytes("X-Checksum: abc\r\nContent-Length: 3\r\n\r\nrest");
        Assert.Equal(Http1ParseResult.Complete, Http1ResponseParser.ParseTrailers(new ReadOnlySequence<byte>(bytes), trailers, out var consumed));
        Assert.Equal(bytes.Length - 4, consumed);
        Assert.Equal([new("X-Checksum", "abc")], trailers);

        trailers.Clear();
        Assert.Equal(Http1ParseResult.Complete, Http1ResponseParser.ParseTrailers(new ReadOnlySequence<byte>("\r\n"u8.ToArray()), trailers, out consumed));
        Assert.Equal(2, consumed);
        Assert.Empty(trailers);
        Assert.Equal(Http1ParseResult.Invalid, Http1ResponseParser.ParseTrailers(new ReadOnlySequence<byte>("X: 1\r\n folded\r\n\r\n"u8.ToArray()), trailers, out _));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
