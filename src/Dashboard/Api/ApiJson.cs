using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cutover.Dashboard.Api;

/// <summary>
/// Reads request bodies strictly and explains what is wrong: malformed JSON, a wrong type or an unknown enum value
/// becomes a 400 problem naming the field (JsonException.Path), instead of the framework's generic binding error.
/// </summary>
public static class ApiJson
{
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        o.ReadCommentHandling = JsonCommentHandling.Disallow;
        return o;
    }

    /// <summary>Reads a JSON body; an empty body is allowed only when <paramref name="optional"/>.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, bool optional,
        CancellationToken cancellationToken, int maxBytes = MaxBodyBytes) where T : class
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return optional ? (null, null) : (null, Problems.Invalid("body", "A JSON body is required."));
        }

        if (!request.HasJsonContentType())
            return (null, Problems.Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.", "body"));
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(new LimitedStream(request.Body, maxBytes), Options, cancellationToken);
            if (value is null && !optional) return (null, Problems.Invalid("body", "A JSON object is required."));
            return (value, null);
        }
        catch (JsonException e)
        {
            var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            var wrongValue = e.InnerException is InvalidOperationException or FormatException
                || e.Message.Contains("could not be converted", StringComparison.Ordinal);
            // A wrong value is the field's fault; broken JSON is the body's, wherever the parser gave up.
            return wrongValue
                ? (null, Problems.Invalid(path, $"'{path}' has a value of the wrong type or an unknown value."))
                : (null, Problems.Invalid("body", $"The body is not valid JSON (at '{path}')."));
        }
        catch (BodyTooLargeException)
        {
            return (null, TooLarge(maxBytes));
        }
        catch (BadHttpRequestException e)
        {
            // The body's framing is broken (a bad chunk size, a body shorter than its Content-Length): the caller's
            // fault, answered as such rather than as a server error.
            return (null, Problems.Make(e.StatusCode, "Invalid request", "The request body could not be read: " + e.Message, "body"));
        }
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        Problems.Make(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body must be at most {maxBytes} bytes.", "body");

    public static bool TryParseId(string text, string field, out Guid id, out ProblemHttpResult? problem)
    {
        if (Guid.TryParse(text, out id))
        {
            problem = null;
            return true;
        }

        problem = Problems.Invalid(field, $"'{field}' must be a GUID.");
        return false;
    }

    private sealed class BodyTooLargeException : IOException;

    /// <summary>Stops reading a chunked body that has no Content-Length once it passes the limit.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            _read += n;
            if (_read > limit) throw new BodyTooLargeException();
            return n;
        }
    }
}
