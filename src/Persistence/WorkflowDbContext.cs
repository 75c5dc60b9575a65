using Microsoft.EntityFrameworkCore;
using Workflows.Persistence.EntityFramework.Configurations;
using Workflows.Persistence.EntityFramework.Entities;

namespace Workflows.Persistence.EntityFramework;

/// <summary>
/// The workflow tables as EF Core sees them, for queries (<c>AsNoTracking</c>). The schema is not EF's: the versioned
/// scripts under Schema/ create it, and the configurations here must agree with them (a test checks both providers).
/// The store's write path does not go through change tracking (docs/persistence.md).
/// </summary>
/// <param name="options">The provider and connection, from <c>AddWorkflowPersistence</c>.</param>
public sealed class WorkflowDbContext(DbContextOptions<WorkflowDbContext> options) : DbContext(options)
{
    /// <summary>Run rows.</summary>
    public DbSet<RunEntity> Runs => Set<RunEntity>();

    /// <summary>Stream items, keyed by (run, sequence).</summary>
    public DbSet<RunItemEntity> RunItems => Set<RunItemEntity>();

    /// <summary>Each run's last resume state.</summary>
    public DbSet<RunStateEntity> RunStates => Set<RunStateEntity>();

    /// <summary>Human tasks.</summary>
    public DbSet<TaskEntity> Tasks => Set<TaskEntity>();

    /// <summary>Workflow definitions as first seen.</summary>
    public DbSet<DefinitionEntity> Definitions => Set<DefinitionEntity>();

    /// <summary>Applied schema scripts.</summary>
    public DbSet<SchemaVersionEntity> SchemaVersions => Set<SchemaVersionEntity>();

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new RunEntityConfiguration());
        modelBuilder.ApplyConfiguration(new RunItemEntityConfiguration());
        modelBuilder.ApplyConfiguration(new RunStateEntityConfiguration());
        modelBuilder.ApplyConfiguration(new TaskEntityConfiguration());
        modelBuilder.ApplyConfiguration(new DefinitionEntityConfiguration());
        modelBuilder.ApplyConfiguration(new SchemaVersionEntityConfiguration());
    }

    /// <inheritdoc/>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type, and EF cannot order by a DateTimeOffset stored as text there: keep
        // microseconds since the epoch (StoreTime), which sort and compare as integers.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMicrosecondsConverter>();
        }
    }
}
