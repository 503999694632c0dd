using System.Text;
using System.Threading.Channels;

namespace Cutover.Tests.Cli.Infrastructure;

/// <summary>A TextWriter that hands each completed line to the test as it is written, for output that never ends (watch).</summary>
public sealed class LineWriter : TextWriter
{
    private readonly StringBuilder _partial = new();
    private readonly StringBuilder _all = new();
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly object _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string All
    {
        get
        {
            lock (_lock) return _all.ToString();
        }
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            _all.Append(value);
            if (value == '\n')
            {
                _lines.Writer.TryWrite(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    /// <summary>The next line that matches, or a TimeoutException after <paramref name="within"/>.</summary>
    public async Task<string> NextLineAsync(Func<string, bool> match, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(timeout.Token);
                if (match(line)) return line;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching line within {within.TotalMilliseconds} ms. Written so far:\n{All}");
        }
    }
}
