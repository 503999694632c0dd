namespace Cutover.Dashboard.Live;

/// <summary>What the status hub calls on its clients.</summary>
public interface IStatusClient
{
    /// <summary>One committed status change (API.md, Live status).</summary>
    Task StatusChanged(StatusChangeMessage change);
}
