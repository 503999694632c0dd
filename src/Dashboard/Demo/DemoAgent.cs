namespace Cutover.Dashboard.Demo;

/// <summary>
/// One demo agent: its images in the order they are deployed (the first becomes production on registration), and
/// the image promoted once it is Ready, if that should differ.
/// </summary>
public sealed record DemoAgent(string Name, string Description, IReadOnlyList<string> Images, string? Promote);
