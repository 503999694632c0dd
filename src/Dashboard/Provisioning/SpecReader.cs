using System.Text.Json;
using System.Text.Json.Nodes;
using Cutover.Core.Domain;
using Cutover.Core.Provisioning;
using Cutover.Dashboard.Api;

namespace Cutover.Dashboard.Provisioning;

/// <summary>
/// Reads a provisioning spec (JSON, or YAML through <see cref="YamlToJson"/>) and checks every field, collecting
/// every problem instead of stopping at the first: a spec with three bad agents names all three. Field rules are the
/// API's own (<see cref="RequestRules"/>, <see cref="DockerImage"/>). Duplicate names are named with every place they
/// appear. Nothing here reads the database; names that already exist are the service's check.
/// </summary>
public static class SpecReader
{
    public static ProvisioningSpec? Read(string text, bool yaml, out List<SpecProblem> problems)
    {
        problems = [];
        JsonNode? root;
        if (yaml)
        {
            root = YamlToJson.Convert(text, out var yamlError);
            if (yamlError is not null) return Fail(problems, "body", yamlError);
        }
        else
        {
            try
            {
                root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
            }
            catch (JsonException e)
            {
                return Fail(problems, "body", $"The body is not valid JSON (line {(e.LineNumber ?? 0) + 1}).");
            }
        }

        if (root is not JsonObject o) return Fail(problems, "body", "The spec must be an object with 'name' and 'agents'.");

        var name = String(o, "name", problems, required: true);
        if (name is not null && RequestRules.Text(name, ProvisioningRun.NameMaxLength, "name") is { } np) Add(problems, "name", np);

        var maxConcurrent = ProvisioningSpec.DefaultMaxConcurrent;
        if (o["maxConcurrent"] is { } mc)
        {
            long n = 0;
            if (mc is not JsonValue v || !v.TryGetValue(out n) || n < 1 || n > ProvisioningSpec.MaxMaxConcurrent)
                problems.Add(new SpecProblem("maxConcurrent", $"'maxConcurrent' must be a whole number from 1 to {ProvisioningSpec.MaxMaxConcurrent}."));
            else maxConcurrent = (int)n;
        }

        var onFailure = OnFailure.Teardown;
        if (o["onFailure"] is { } of)
        {
            var s = of is JsonValue ov && ov.TryGetValue<string>(out var str) ? str : null;
            if (string.Equals(s, "teardown", StringComparison.OrdinalIgnoreCase)) onFailure = OnFailure.Teardown;
            else if (string.Equals(s, "keep", StringComparison.OrdinalIgnoreCase)) onFailure = OnFailure.Keep;
            else problems.Add(new SpecProblem("onFailure", "'onFailure' must be \"teardown\" or \"keep\"."));
        }

        var dryRun = false;
        if (o["dryRun"] is { } dr && !(dr is JsonValue dv && dv.TryGetValue(out dryRun)))
            problems.Add(new SpecProblem("dryRun", "'dryRun' must be true or false."));

        var agents = Agents(o, problems);
        return problems.Count == 0 ? new ProvisioningSpec(name!, agents, maxConcurrent, onFailure, dryRun) : null;
    }

    private static List<AgentSpec> Agents(JsonObject o, List<SpecProblem> problems)
    {
        var agents = new List<AgentSpec>();
        if (o["agents"] is not JsonArray list)
        {
            problems.Add(new SpecProblem("agents", "'agents' is required: a list of { name, image, description?, metadata? }."));
            return agents;
        }

        if (list.Count == 0 || list.Count > ProvisioningSpec.MaxAgents)
            problems.Add(new SpecProblem("agents", $"'agents' must hold from 1 to {ProvisioningSpec.MaxAgents} agents; it has {list.Count}."));

        var names = new List<string?>();
        for (var i = 0; i < list.Count; i++)
        {
            var field = $"agents[{i}]";
            if (list[i] is not JsonObject a)
            {
                problems.Add(new SpecProblem(field, $"'{field}' must be an object with 'name' and 'image'."));
                names.Add(null);
                continue;
            }

            var name = String(a, "name", problems, required: true, prefix: field);
            if (name is not null && RequestRules.AgentName(name, $"{field}.name") is { } np) Add(problems, $"{field}.name", np);
            names.Add(name);

            var imageText = String(a, "image", problems, required: true, prefix: field);
            DockerImage image = default;
            if (imageText is not null && !DockerImage.TryParse(imageText, out image, out var imageError))
                problems.Add(new SpecProblem($"{field}.image", imageError!));

            var description = String(a, "description", problems, required: false, prefix: field);
            if (RequestRules.Text(description, Agent.DescriptionMaxLength, $"{field}.description") is { } dp) Add(problems, $"{field}.description", dp);

            var metadata = "{}";
            if (a["metadata"] is { } m)
            {
                if (m is not JsonObject) problems.Add(new SpecProblem($"{field}.metadata", $"'{field}.metadata' must be an object."));
                else if ((metadata = m.ToJsonString()).Length > Deployment.MetadataMaxLength)
                    problems.Add(new SpecProblem($"{field}.metadata", $"'{field}.metadata' must be at most {Deployment.MetadataMaxLength} characters of JSON."));
            }

            if (name is not null && imageText is not null) agents.Add(new AgentSpec(name, image, description, metadata));
        }

        foreach (var group in names.Select((n, i) => (n, i)).Where(x => x.n is not null).GroupBy(x => x.n!, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var places = string.Join(", ", group.Select(x => $"agents[{x.i}]"));
            foreach (var (_, i) in group.Skip(1))
                problems.Add(new SpecProblem($"agents[{i}].name", $"The name '{group.Key}' appears more than once in the spec ({places})."));
        }

        return agents;
    }

    private static string? String(JsonObject o, string key, List<SpecProblem> problems, bool required, string? prefix = null)
    {
        var field = prefix is null ? key : $"{prefix}.{key}";
        var node = o[key];
        if (node is null)
        {
            if (required) problems.Add(new SpecProblem(field, $"'{field}' is required."));
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        problems.Add(new SpecProblem(field, $"'{field}' must be a string."));
        return null;
    }

    private static void Add(List<SpecProblem> problems, string field, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult p) =>
        problems.Add(new SpecProblem(field, p.ProblemDetails.Detail ?? "Invalid."));

    private static ProvisioningSpec? Fail(List<SpecProblem> problems, string field, string detail)
    {
        problems.Add(new SpecProblem(field, detail));
        return null;
    }
}
