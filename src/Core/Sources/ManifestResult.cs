namespace Cutover.Core.Sources;

/// <summary>A manifest, or every problem found in it (never both).</summary>
public sealed record ManifestResult(Manifest? Manifest, IReadOnlyList<string> Problems)
{
    public bool IsValid => Manifest is not null;

    /// <summary>All problems in one line-separated text, for a source's error.</summary>
    public string Describe() => string.Join("; ", Problems);
}
