using System.Runtime.CompilerServices;
using System.Text;

namespace Cutover.Dashboard.Routing;

/// <summary>
/// Keeps a request's <c>Connection</c> header as the caller sent it. Kestrel replaces a value whose only option it
/// knows is keep-alive (<c>Connection: keep-alive, X-Hop-Secret</c>) with its interned <c>"keep-alive"</c> before
/// the app runs, so the names it nominated as hop-by-hop would be lost and forwarded to the agent. Kestrel decodes
/// every header value through <see cref="Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions.RequestHeaderEncodingSelector"/>;
/// for <c>Connection</c> this decodes as Kestrel's default does (UTF-8, invalid bytes refused) and keeps the text
/// for the connection's current request, and <see cref="Restore"/>, first in the pipeline, puts it back.
/// </summary>
/// <remarks>
/// Header parsing and the app run on one connection's own flow, request after request, so the decoded value sits in
/// a per-connection box carried by an <see cref="AsyncLocal{T}"/>; the pipeline empties the box for every request.
/// </remarks>
internal sealed class ConnectionHeaderCapture : Encoding
{
    public static readonly ConnectionHeaderCapture Instance = new();

    private static readonly AsyncLocal<StrongBox<string?>> Box = new();
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ConnectionHeaderCapture()
    {
    }

    /// <summary>For <see cref="Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions.RequestHeaderEncodingSelector"/>.</summary>
    public static Encoding? Select(string headerName) =>
        string.Equals(headerName, "Connection", StringComparison.OrdinalIgnoreCase) ? Instance : null;

    /// <summary>Puts the caller's own Connection header back on the request, if Kestrel shortened it.</summary>
    public static void Restore(HttpContext context)
    {
        var box = Box.Value;
        if (box is null) return;
        var sent = box.Value;
        box.Value = null;
        if (sent is not null && context.Request.Headers.Connection.Count > 0) context.Request.Headers.Connection = sent;
    }

    // Encoding's pointer and span overloads, which Kestrel's decoding calls, end here (one copy, and only for this
    // one header).
    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        var written = Strict.GetChars(bytes, byteIndex, byteCount, chars, charIndex);
        Keep(new string(chars, charIndex, written));
        return written;
    }

    public override int GetCharCount(byte[] bytes, int index, int count) => Strict.GetCharCount(bytes, index, count);

    public override int GetByteCount(char[] chars, int index, int count) => Strict.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        Strict.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetMaxByteCount(int charCount) => Strict.GetMaxByteCount(charCount);

    public override int GetMaxCharCount(int byteCount) => Strict.GetMaxCharCount(byteCount);

    private static void Keep(string value)
    {
        var box = Box.Value;
        if (box is null) Box.Value = box = new StrongBox<string?>();
        // Several Connection lines in one request arrive one by one: keep them all, comma-joined as Kestrel does.
        box.Value = box.Value is null ? value : box.Value + ", " + value;
    }
}
