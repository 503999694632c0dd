namespace Cutover.Core.Guards;

/// <summary>
/// One node's count of the RPCs it forwarded to a guarded deployment since the guard began. Each Cutover process
/// (<see cref="Reporter"/>: node name and process start) writes its own row; a guard's evidence is their sum, so on
/// several nodes the guard sees all traffic, not only its own node's.
/// </summary>
public sealed class GuardSample
{
    private GuardSample()
    {
        Reporter = string.Empty;
    }

    public GuardSample(Guid guardId, string reporter, long requests, long errors, DateTime updatedAt)
    {
        GuardId = guardId;
        Reporter = reporter;
        Requests = requests;
        Errors = errors;
        UpdatedAt = updatedAt;
    }

    public const int ReporterMaxLength = 200;

    public Guid GuardId { get; private set; }

    public string Reporter { get; private set; }

    public long Requests { get; private set; }

    public long Errors { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public void Update(long requests, long errors, DateTime at)
    {
        Requests = requests;
        Errors = errors;
        UpdatedAt = at;
    }
}
