using System.Text.Json;
using Workflows.Persistence.EntityFramework;

namespace Workflows.Persistence.Tests;

/// <summary>Stored status names are the engine's wire names, and read back to the same values.</summary>
public sealed class WireNamesTests
{
    [Fact]
    public void RunStatuses_AreStoredByTheirWireNames()
    {
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            Assert.Equal(status.ToWireName(), WireNames.Of(status));
            Assert.Equal(status, WireNames.ParseRunStatus(WireNames.Of(status)));
        }
    }

    [Fact]
    public void TaskStatuses_AreStoredByTheirWireNames()
    {
        foreach (var status in Enum.GetValues<HumanTaskStatus>())
        {
            Assert.Equal(JsonSerializer.Serialize(status).Trim('"'), WireNames.Of(status));
            Assert.Equal(status, WireNames.ParseTaskStatus(WireNames.Of(status)));
        }
    }

    [Fact]
    public void UnknownStoredNames_AreRefusedClearly()
    {
        Assert.Contains("'paused'", Assert.Throws<InvalidDataException>(() => WireNames.ParseRunStatus("paused")).Message);
        Assert.Contains("'open'", Assert.Throws<InvalidDataException>(() => WireNames.ParseTaskStatus("open")).Message);
    }
}
