namespace Cutover.Tests.Cli.Infrastructure;

/// <summary>Standard input whose answer the test gives later: a prompt waits on it, so the test can act in between.</summary>
public sealed class GatedReader : TextReader
{
    private readonly TaskCompletionSource<string?> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the CLI starts waiting for the answer.</summary>
    public Task Asked => _asked.Task;

    public void Answer(string? line) => _answer.TrySetResult(line);

    public override string? ReadLine()
    {
        _asked.TrySetResult();
        return _answer.Task.GetAwaiter().GetResult();
    }

    public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _asked.TrySetResult();
        return new ValueTask<string?>(_answer.Task.WaitAsync(cancellationToken));
    }
}
