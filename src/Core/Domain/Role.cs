namespace Cutover.Core.Domain;

/// <summary>Ordered: a higher role can do everything a lower one can.</summary>
public enum Role
{
    Viewer = 0,
    Operator = 1,
    Admin = 2,
}
