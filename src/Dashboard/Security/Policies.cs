namespace Cutover.Dashboard.Security;

/// <summary>Authorization policy names. Every endpoint names one of these or is explicitly anonymous.</summary>
public static class Policies
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    /// <summary>An agent token (bound to one agent name) or an operator: may register agents.</summary>
    public const string AgentOrOperator = "AgentOrOperator";

    /// <summary>A ci token (bound to one source; the endpoint checks which) or an operator: may sync a source.</summary>
    public const string CiOrOperator = "CiOrOperator";

    /// <summary>An agent token: may report its own agent's health.</summary>
    public const string Agent = "Agent";
}
