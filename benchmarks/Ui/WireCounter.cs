using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Cutover.Benchmarks.Ui;

/// <summary>
/// Counts the bytes the server writes to its connections (Kestrel connection middleware, below HTTP and TLS): what
/// goes on the wire, HTTP headers, compressed bodies and websocket frames as sent (with their permessage-deflate
/// compression), TCP/IP framing aside. The browser's own view cannot give this for websockets: it reports frames
/// after decompression.
/// </summary>
internal sealed class WireCounter
{
    private long _sent;

    public long Sent => Interlocked.Read(ref _sent);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async context =>
    {
        var transport = context.Transport;
        context.Transport = new CountingPipe(transport, this);
        try
        {
            await next(context);
        }
        finally
        {
            context.Transport = transport;
        }
    };

    private sealed class CountingPipe(IDuplexPipe inner, WireCounter counter) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output { get; } = new CountingWriter(inner.Output, counter);
    }

    private sealed class CountingWriter(PipeWriter inner, WireCounter counter) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            Interlocked.Add(ref counter._sent, bytes);
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref counter._sent, source.Length);
            return inner.WriteAsync(source, cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;
    }
}
