namespace Cutover.Core.Sources;

public enum PromoteMode
{
    /// <summary>A person promotes (the default).</summary>
    Manual,

    /// <summary>Promoted once Ready.</summary>
    Auto,
}
