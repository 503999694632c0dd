using System.Text.RegularExpressions;

namespace Cutover.Core.Domain;

/// <summary>
/// A container image reference (<c>registry/repository[:tag][@digest]</c>). Typed so that a malformed reference is
/// refused at the edge instead of being stored and failing later at deploy time.
/// </summary>
public readonly partial record struct DockerImage
{
    public const int MaxLength = 512;

    public string Value { get; }

    private DockerImage(string value) => Value = value;

    public static bool TryParse(string? text, out DockerImage image, out string? error)
    {
        image = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "dockerImage is required.";
            return false;
        }

        text = text.Trim();
        if (text.Length > MaxLength)
        {
            error = $"dockerImage must be at most {MaxLength} characters.";
            return false;
        }

        if (!ReferencePattern().IsMatch(text))
        {
            error = "dockerImage must look like 'repository[:tag][@sha256:digest]', lower-case, without spaces.";
            return false;
        }

        image = new DockerImage(text);
        error = null;
        return true;
    }

    public static DockerImage Parse(string text) =>
        TryParse(text, out var image, out var error) ? image : throw new FormatException(error);

    /// <summary>The repository without registry host, tag or digest: what people call the image's name.</summary>
    public string Repository
    {
        get
        {
            var v = Value;
            var at = v.IndexOf('@');
            if (at >= 0) v = v[..at];
            var colon = v.LastIndexOf(':');
            if (colon > v.LastIndexOf('/')) v = v[..colon];
            return v;
        }
    }

    public string? Tag
    {
        get
        {
            var v = Value;
            var at = v.IndexOf('@');
            if (at >= 0) v = v[..at];
            var colon = v.LastIndexOf(':');
            return colon > v.LastIndexOf('/') ? v[(colon + 1)..] : null;
        }
    }

    public override string ToString() => Value ?? string.Empty;

    // registry[:port]/path components (lower-case, separators . _ -), optional :tag, optional @algo:hex digest.
    [GeneratedRegex(@"^(?:[a-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[a-z0-9]+:[a-fA-F0-9]{32,})?$")]
    private static partial Regex ReferencePattern();
}
