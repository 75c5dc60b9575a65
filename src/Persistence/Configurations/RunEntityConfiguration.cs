using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.EntityFramework.Entities;

namespace Workflows.Persistence.EntityFramework.Configurations;

/// <summary><c>runs</c>, as Schema/*/001_initial.sql creates it.</summary>
internal sealed class RunEntityConfiguration : IEntityTypeConfiguration<RunEntity>
{
    public void Configure(EntityTypeBuilder<RunEntity> builder)
    {
        builder.ToTable("runs");
        builder.HasKey(r => r.Id).HasName("pk_runs");
        builder.Property(r => r.Id).HasColumnName("id");
        builder.Property(r => r.Workflow).HasColumnName("workflow");
        builder.Property(r => r.Version).HasColumnName("version");
        builder.Property(r => r.Status).HasColumnName("status")
            .HasConversion(status => WireNames.Of(status), name => WireNames.ParseRunStatus(name));
        builder.Property(r => r.InputJson).HasColumnName("input_json");
        builder.Property(r => r.CorrelationId).HasColumnName("correlation_id");
        builder.Property(r => r.ResultJson).HasColumnName("result_json");
        builder.Property(r => r.ErrorJson).HasColumnName("error_json");
        builder.Property(r => r.LastSequence).HasColumnName("last_sequence");
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at");
        builder.Property(r => r.EndedAt).HasColumnName("ended_at");

        builder.HasIndex(r => r.Status).HasDatabaseName("ix_runs_status");
        builder.HasIndex(r => new { r.Workflow, r.CreatedAt }).HasDatabaseName("ix_runs_workflow_created_at");
        builder.HasIndex(r => new { r.CreatedAt, r.Id }).HasDatabaseName("ix_runs_created_at_id");   // the unfiltered run list
        builder.HasIndex(r => r.CorrelationId).HasDatabaseName("ux_runs_correlation_id")
            .IsUnique().HasFilter("correlation_id IS NOT NULL");
    }
}
