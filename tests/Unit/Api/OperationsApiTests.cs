using System.Net;
using Cutover.Tests.Unit.Infrastructure;

namespace Cutover.Tests.Unit.Api;

public sealed class OperationsApiTests(CutoverAppFactory app) : IClassFixture<CutoverAppFactory>
{
    [Fact]
    public async Task Healthz_Anonymous_Returns200WhenDatabaseAnswers()
    {
        using var client = app.CreateClient(bearerToken: null);
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Startup_CreatesDatabaseFile()
    {
        using var client = app.CreateClient(bearerToken: null);
        await client.GetAsync("/healthz");
        Assert.True(File.Exists(app.DatabasePath));
    }
}
