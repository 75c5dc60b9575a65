using System.Net;
using System.Text.Json;
using Workflows.Definitions.Graph;
using Workflows.Server.Security;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Security;

/// <summary>Enforced mode: each permission opens its routes and no others (403 problem naming the missing permission).</summary>
public sealed class AuthorizationTests(SecureServerFactory factory) : IClassFixture<SecureServerFactory>
{
    [Fact]
    public async Task ValidKeyWithoutRunsStart_Start_Answers403NamingThePermission_AndStartsNothing()
    {
        using var reader = factory.CreateClient(SecureServerFactory.ReaderKey);
        var before = factory.Engine.Tasks.List(new TaskQuery()).Count;

        using var response = await reader.PostStartAsync(ParallelApprovals.Name);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("'runs:start'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([Permissions.RunsStart], problem.GetProperty("requiredPermissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(before, factory.Engine.Tasks.List(new TaskQuery()).Count);
    }

    [Fact]
    public async Task ValidKeyWithoutRunsCancel_Cancel_Answers403_AndTheRunGoesOn()
    {
        using var starter = factory.CreateClient(SecureServerFactory.StarterKey);
        using var canceler = factory.CreateClient(SecureServerFactory.CancelerKey);
        var id = await starter.StartAsync(ParallelApprovals.Name);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);

        using var refused = await starter.PostAsync($"/api/instances/{id}/cancel", Api.Json("{}"), Patience.Token());
        var stillWaiting = factory.Engine.FindRun(id)!.Status;
        using var canceled = await canceler.PostAsync($"/api/instances/{id}/cancel", Api.Json("{}"), Patience.Token());

        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(RunStatus.Waiting, stillWaiting);
        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.Equal("canceled", (await canceled.ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(SecureServerFactory.ReaderKey)]
    [InlineData(SecureServerFactory.CancelerKey)]
    public async Task ValidKeyWithoutRunsStart_SendEvent_Answers403(string key)
    {
        using var client = factory.CreateClient(key);

        using var response = await client.PostAsync("/api/instances/0197c1d2e3f4/events", Api.Json("""{"type": "payment"}"""), Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ValidKeyWithoutTasksComplete_Complete_Answers403_AndTheTaskStaysOpen()
    {
        var (_, tasks) = await StartApprovalsAsync();
        var taskId = tasks["security_approval"];
        using var starter = factory.CreateClient(SecureServerFactory.StarterKey);

        using var response = await starter.PostAsync($"/api/tasks/{taskId}/complete", Api.Json("""{"approved": true, "risk_level": "low"}"""), Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HumanTaskStatus.Pending, factory.Engine.Tasks.Get(taskId)!.Status);
    }

    [Theory]
    [InlineData("/api/workflows")]
    [InlineData("/api/instances")]
    [InlineData("/api/instances/counts")]
    [InlineData("/api/tasks")]
    public async Task KeyWithoutRunsRead_ReadRoutes_Answer403(string path)
    {
        const string startOnly = "test-start-only-key-0f9e8d7c6b5a49382716";
        using var isolated = new SecureServerFactory();
        isolated.AddKey("start-only", startOnly, user: null, groups: [], Permissions.RunsStart);
        using var client = isolated.CreateClient(startOnly);

        using var response = await client.GetAsync(path, Patience.Token());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("'runs:read'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonMemberOfTheTasksGroup_Complete_Answers403_AndTheTaskStaysOpen_ThenAMemberCompletesIt()
    {
        var (_, tasks) = await StartApprovalsAsync();
        var taskId = tasks["security_approval"];
        using var olga = factory.CreateClient(SecureServerFactory.OutsiderKey);
        using var sam = factory.CreateClient(SecureServerFactory.SecurityApproverKey);
        // The headers of Development mode carry no weight here.
        var spoofed = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{taskId}/complete") { Content = Api.Json("""{"approved": true, "risk_level": "low"}""") };
        spoofed.Headers.Add("X-User", "sam");
        spoofed.Headers.Add("X-Groups", "security");

        using var refused = await olga.SendAsync(spoofed, Patience.Token());
        var afterRefusal = factory.Engine.Tasks.Get(taskId)!;
        using var accepted = await sam.PostAsync($"/api/tasks/{taskId}/complete", Api.Json("""{"approved": true, "risk_level": "low"}"""), Patience.Token());

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("olga", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HumanTaskStatus.Pending, afterRefusal.Status);
        Assert.Null(afterRefusal.CompletedBy);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("sam", (await accepted.ReadJsonAsync()).GetProperty("task").GetProperty("completedBy").GetString());
    }

    private async Task<(string RunId, Dictionary<string, string> Tasks)> StartApprovalsAsync()
    {
        using var admin = factory.CreateClient(SecureServerFactory.AdminKey);
        var id = await admin.StartAsync(ParallelApprovals.Name);
        await factory.Engine.WaitForItemAsync(id, RunItemTypes.RunWaiting);
        var page = await (await admin.GetAsync($"/api/tasks?instance={id}", Patience.Token())).ReadJsonAsync();
        return (id, page.GetProperty("items").EnumerateArray().ToDictionary(t => t.GetProperty("step").GetString()!, t => t.GetProperty("id").GetString()!));
    }
}
