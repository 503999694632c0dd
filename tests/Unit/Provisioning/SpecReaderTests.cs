using Cutover.Core.Provisioning;
using Cutover.Dashboard.Provisioning;

namespace Cutover.Tests.Unit.Provisioning;

public sealed class SpecReaderTests
{
    private const string Json = """
        {
          "name": "eval-fleet",
          "agents": [
            { "name": "judge", "image": "cutover/sample-agent:1.0", "description": "Scores answers", "metadata": { "team": "eval", "tier": 2 } },
            { "name": "student", "image": "cutover/sample-agent:2.0" }
          ],
          "maxConcurrent": 8,
          "onFailure": "keep",
          "dryRun": true
        }
        """;

    private const string Yaml = """
        name: eval-fleet
        agents:
          - name: judge
            image: cutover/sample-agent:1.0
            description: Scores answers
            metadata: { team: eval, tier: 2 }
          - name: student
            image: cutover/sample-agent:2.0
        maxConcurrent: 8
        onFailure: keep
        dryRun: true
        """;

    [Fact]
    public void Read_JsonAndYamlOfOneSpec_TheSameSpec()
    {
        var json = SpecReader.Read(Json, yaml: false, out var p1);
        var yaml = SpecReader.Read(Yaml, yaml: true, out var p2);

        Assert.Empty(p1);
        Assert.Empty(p2);
        Assert.Equal(("eval-fleet", 8, OnFailure.Keep, true), (json!.Name, json.MaxConcurrent, json.OnFailure, json.DryRun));
        Assert.Equal(json.Agents, yaml!.Agents);
        Assert.Equal((json.Name, json.MaxConcurrent, json.OnFailure, json.DryRun), (yaml.Name, yaml.MaxConcurrent, yaml.OnFailure, yaml.DryRun));
        Assert.Equal("""{"team":"eval","tier":2}""", json.Agents[0].MetadataJson);
        Assert.Equal("{}", json.Agents[1].MetadataJson);
    }

    [Fact]
    public void Read_OnlyRequiredFields_DefaultsTeardownFourNoDryRun()
    {
        var spec = SpecReader.Read("""{ "name": "n", "agents": [ { "name": "a", "image": "x/y:1" } ] }""", yaml: false, out var problems);
        Assert.Empty(problems);
        Assert.Equal((4, OnFailure.Teardown, false), (spec!.MaxConcurrent, spec.OnFailure, spec.DryRun));
    }

    [Fact]
    public void Read_ManyProblems_EveryOneNamedByField()
    {
        const string bad = """
            {
              "agents": [
                { "name": "ok-1", "image": "x/y:1" },
                { "name": "-bad name", "image": "x/y:1" },
                { "name": "ok-1", "image": "UPPER CASE IMAGE" },
                { "image": "x/y:1", "metadata": [1, 2] },
                "not an object",
                { "name": "ok-1", "image": "x/y:1", "description": 5 }
              ],
              "maxConcurrent": 0,
              "onFailure": "explode",
              "dryRun": "yes"
            }
            """;

        var spec = SpecReader.Read(bad, yaml: false, out var problems);

        Assert.Null(spec);
        var fields = problems.Select(p => p.Field).ToHashSet();
        Assert.Equal(
            new HashSet<string>
            {
                "name", "maxConcurrent", "onFailure", "dryRun", "agents[1].name", "agents[2].image", "agents[2].name", "agents[3].name",
                "agents[3].metadata", "agents[4]", "agents[5].name", "agents[5].description",
            },
            fields);
        var duplicate = problems.First(p => p.Field == "agents[2].name");
        Assert.Contains("agents[0], agents[2], agents[5]", duplicate.Detail);
        Assert.All(problems, p => Assert.False(p.Conflict));
    }

    [Theory]
    [InlineData("maxConcurrent: 33")]
    [InlineData("maxConcurrent: 2.5")]
    [InlineData("maxConcurrent: \"8\"")]
    public void Read_BadMaxConcurrent_Named(string line)
    {
        var spec = SpecReader.Read($"name: n\nagents:\n  - name: a\n    image: x/y:1\n{line}\n", yaml: true, out var problems);
        Assert.Null(spec);
        Assert.Equal("maxConcurrent", Assert.Single(problems).Field);
    }

    [Fact]
    public void Read_TooManyOrNoAgents_Named()
    {
        var many = string.Join(",", Enumerable.Range(0, ProvisioningSpec.MaxAgents + 1).Select(i => $$"""{"name":"a{{i}}","image":"x/y:1"}"""));
        SpecReader.Read($$"""{"name":"n","agents":[{{many}}]}""", yaml: false, out var tooMany);
        SpecReader.Read("""{"name":"n","agents":[]}""", yaml: false, out var none);
        Assert.Equal("agents", Assert.Single(tooMany).Field);
        Assert.Equal("agents", Assert.Single(none).Field);
    }

    [Theory]
    [InlineData("{ \"name\": ", false)]
    [InlineData("name: [unclosed", true)]
    [InlineData("[1, 2]", false)]
    public void Read_NotASpecAtAll_BodyNamed(string text, bool yaml)
    {
        Assert.Null(SpecReader.Read(text, yaml, out var problems));
        Assert.Equal("body", Assert.Single(problems).Field);
    }
}
