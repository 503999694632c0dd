using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Cutover.Tests.Unit.Infrastructure;

/// <summary>
/// Sends a request exactly as written over a plain socket (what HttpClient will not send: broken chunked framing,
/// odd Connection headers) and reads one answer: its headers, then a body framed by Content-Length or chunks, or
/// until the server closes the connection.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(Uri address, string head, string body = "") =>
        (await SendOnOneConnectionAsync(address, (head, body)))[0];

    /// <summary>Sends the requests one after another on one connection, each after the answer to the one before.</summary>
    public static async Task<IReadOnlyList<RawResponse>> SendOnOneConnectionAsync(Uri address, params (string Head, string Body)[] requests)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(address.Host, address.Port, timeout.Token);
        var stream = client.GetStream();
        var responses = new List<RawResponse>();
        foreach (var (head, body) in requests)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n") + "\r\n" + body), timeout.Token);

            var text = new StringBuilder();
            var buffer = new byte[8192];
            int read;
            while (!Complete(text.ToString()) && (read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            var all = text.ToString();
            var end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = end < 0 ? all : all[..end];
            var status = headers.Split(' ', 3) is [_, var code, ..] && int.TryParse(code, out var s) ? s : 0;
            responses.Add(new RawResponse(status, headers, end < 0 ? "" : all[(end + 4)..]));
        }

        return responses;
    }

    private static bool Complete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var headers = text[..end];
        var body = text[(end + 4)..];
        var length = Regex.Match(headers, @"(?im)^content-length:\s*(\d+)");
        if (length.Success) return Encoding.UTF8.GetByteCount(body) >= int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture);
        if (Regex.IsMatch(headers, @"(?im)^transfer-encoding:\s*chunked")) return body.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        return false;
    }
}

/// <summary>An answer read off the socket: the status, the header block as sent, and the body (framing included).</summary>
public sealed record RawResponse(int Status, string Headers, string Body)
{
    public bool IsProblemJson => Headers.Contains("Content-Type: application/problem+json", StringComparison.OrdinalIgnoreCase);
}
