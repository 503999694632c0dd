using Cutover.Core.Sources;

namespace Cutover.Tests.Unit.Sources;

public sealed class ManifestParserTests
{
    [Fact]
    public void Parse_FullManifest_ReadsEveryField()
    {
        var result = ManifestParser.Parse("""
            agents:
              - name: support-bot
                image: registry/support-bot:1.4
                description: Answers customer questions
                promote: auto
                guard: { window: "00:05:00", maxErrorRate: 0.05, minRequests: 20, requireHealthy: true }
                metadata: { team: support }
              - name: research-agent
                image: registry/research:2
            """);

        Assert.True(result.IsValid, result.Describe());
        var agents = result.Manifest!.Agents;
        Assert.Equal(["support-bot", "research-agent"], agents.Select(a => a.Name));
        var bot = agents[0];
        Assert.Equal("registry/support-bot:1.4", bot.Image.Value);
        Assert.Equal("Answers customer questions", bot.Description);
        Assert.Equal(PromoteMode.Auto, bot.Promote);
        Assert.Equal(new DeclaredGuard(TimeSpan.FromMinutes(5), 0.05, 20, true), bot.Guard);
        Assert.Equal("support", bot.Metadata["team"]);
        Assert.Equal(PromoteMode.Manual, agents[1].Promote);
        Assert.Null(agents[1].Guard);
    }

    [Fact]
    public void Parse_DuplicateName_FailsNamingItAndBothLines()
    {
        var result = ManifestParser.Parse("""
            agents:
              - name: bot
                image: registry/bot:1
              - name: other
                image: registry/other:1
              - name: bot
                image: registry/bot:2
            """);

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("'bot' is declared twice", problem);
        Assert.Contains("line 6", problem);
        Assert.Contains("first on line 2", problem);
    }

    [Fact]
    public void Parse_SeveralProblems_NamesEveryOne()
    {
        var result = ManifestParser.Parse("""
            agents:
              - name: bot
                image: "Not An Image"
                colour: blue
              - name: bad name!
                image: registry/ok:1
                promote: sometimes
              - image: registry/nameless:1
            extra: true
            """);

        Assert.False(result.IsValid);
        var all = result.Describe();
        Assert.Contains("agents[0] (bot).image 'Not An Image'", all);
        Assert.Contains("unknown key 'agents[0].colour'", all);
        Assert.Contains("agents[1].name 'bad name!'", all);
        Assert.Contains("promote must be 'manual' or 'auto', not 'sometimes'", all);
        Assert.Contains("agents[2].name is required", all);
        Assert.Contains("unknown key 'extra'", all);
        Assert.Equal(6, result.Problems.Count);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("agents: [", "line")]
    [InlineData("- just a list", "mapping")]
    [InlineData("agents: 3", "'agents' must be a list")]
    [InlineData("name: x", "'agents' is required")]
    [InlineData("agents:\n  - name: a\n    name: b\n    image: r/a:1", "line")]
    [InlineData("agents:\n  - name: a\n    image: r/a:1\n    guard: { window: soon }", "guard.window must be a positive duration")]
    public void Parse_Malformed_FailsWithAReason(string yaml, string expected)
    {
        var result = ManifestParser.Parse(yaml);
        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Describe());
    }

    [Fact]
    public void Parse_EmptyAgentList_IsAValidManifestDeclaringNothing()
    {
        var result = ManifestParser.Parse("agents: []");
        Assert.True(result.IsValid);
        Assert.Empty(result.Manifest!.Agents);
    }
}
