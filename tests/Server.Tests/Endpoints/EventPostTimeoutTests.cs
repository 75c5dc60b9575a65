using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Persistence;
using Workflows.Server.Tests.Doubles;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Endpoints;

/// <summary>An external event post does not wait past Workflows:Server:EventPostTimeoutSeconds for the run to record it.</summary>
public sealed class EventPostTimeoutTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("workflows-event-timeout-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task SendEvent_RunCannotRecordItInTime_Answers503_ThenTheRunRecordsItOnceTheStoreIsBack()
    {
        HeldCommitsStore? store = null;
        using var factory = new ServerFactory
        {
            // The real SQLite store, its commits held on demand.
            ConfigureTestServices = services =>
            {
                var real = services.Last(d => d.ServiceType == typeof(IRunStore));
                services.Remove(real);
                services.AddSingleton<IRunStore>(provider => store = new HeldCommitsStore((IRunStore)(real.ImplementationFactory?.Invoke(provider)
                    ?? real.ImplementationInstance ?? ActivatorUtilities.CreateInstance(provider, real.ImplementationType!))));
            },
        };
        factory.Settings["ConnectionStrings:Workflows"] = $"Data Source={Path.Combine(_directory.FullName, "runs.db")}";
        factory.Settings["Workflows:Server:EventPostTimeoutSeconds"] = "0.2";
        using var client = factory.CreateClient();
        var id = await client.StartAsync(AwaitsPaymentWorkflow.WorkflowName);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        Assert.NotNull(store);
        store.Hold();

        using var response = await client.PostAsync($"/api/instances/{id}/events", Api.Json("""{"type": "payment", "data": {"amount": 3}}"""), Patience.Token());
        store.Release();

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Event not recorded in time", problem.GetProperty("title").GetString());
        Assert.Contains("0.2 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Not lost: the run had taken the event and goes on with it once the commit passes.
        Assert.Equal(RunStatus.Completed, (await factory.Engine.WaitForEndAsync(id)).Status);
    }
}
