using System.Security.Claims;
using Cutover.Core.Domain;
using Cutover.Dashboard.Security;

namespace Cutover.Tests.Unit.Security;

public sealed class AgentAccessTests
{
    private static ClaimsPrincipal AgentToken(string agent) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "t"), new Claim(CutoverClaims.TokenId, Guid.NewGuid().ToString()), new Claim(CutoverClaims.AgentName, agent)],
        BearerTokenHandler.SchemeName));

    private static ClaimsPrincipal Person(Role role) => new(new ClaimsIdentity(
        new[] { new Claim(ClaimTypes.Name, "p") }.Concat(CutoverClaims.RoleClaims(role)), "Cookies"));

    [Fact]
    public void AgentToken_OnlyItsOwnAgent()
    {
        Assert.True(AgentAccess.MayRegister(AgentToken("search-bot"), "search-bot"));
        Assert.True(AgentAccess.MayReportHealth(AgentToken("search-bot"), "search-bot"));
        Assert.False(AgentAccess.MayRegister(AgentToken("search-bot"), "billing-bot"));
        Assert.False(AgentAccess.MayReportHealth(AgentToken("search-bot"), "Search-Bot"));
    }

    [Fact]
    public void People_OperatorsRegisterAnyAgent_NoOneButTheAgentReportsHealth()
    {
        Assert.True(AgentAccess.MayRegister(Person(Role.Operator), "search-bot"));
        Assert.True(AgentAccess.MayRegister(Person(Role.Admin), "search-bot"));
        Assert.False(AgentAccess.MayRegister(Person(Role.Viewer), "search-bot"));
        Assert.False(AgentAccess.MayReportHealth(Person(Role.Admin), "search-bot"));
        Assert.False(AgentAccess.MayRegister(new ClaimsPrincipal(new ClaimsIdentity()), "search-bot"));
    }
}
