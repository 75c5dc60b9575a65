using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.EntityFramework.Entities;

namespace Workflows.Persistence.EntityFramework.Configurations;

/// <summary><c>tasks</c>, as Schema/*/001_initial.sql creates it: indexed for the inbox's filters.</summary>
internal sealed class TaskEntityConfiguration : IEntityTypeConfiguration<TaskEntity>
{
    public void Configure(EntityTypeBuilder<TaskEntity> builder)
    {
        builder.ToTable("tasks");
        builder.HasKey(t => t.Id).HasName("pk_tasks");
        builder.Property(t => t.Id).HasColumnName("id");
        builder.Property(t => t.RunId).HasColumnName("run_id");
        builder.Property(t => t.Workflow).HasColumnName("workflow");
        builder.Property(t => t.Step).HasColumnName("step");
        builder.Property(t => t.Title).HasColumnName("title");
        builder.Property(t => t.Description).HasColumnName("description");
        builder.Property(t => t.FormSchemaJson).HasColumnName("form_schema");
        builder.Property(t => t.Assignee).HasColumnName("assignee");
        builder.Property(t => t.Group).HasColumnName("group_name");
        builder.Property(t => t.Status).HasColumnName("status")
            .HasConversion(status => WireNames.Of(status), name => WireNames.ParseTaskStatus(name));
        builder.Property(t => t.CreatedAt).HasColumnName("created_at");
        builder.Property(t => t.DueAt).HasColumnName("due_at");
        builder.Property(t => t.CompletedBy).HasColumnName("completed_by");
        builder.Property(t => t.CompletedAt).HasColumnName("completed_at");
        builder.Property(t => t.DataJson).HasColumnName("data");
        builder.Property(t => t.CancelReason).HasColumnName("cancel_reason");
        builder.Property(t => t.OnDueJson).HasColumnName("on_due");

        builder.HasIndex(t => t.Status).HasDatabaseName("ix_tasks_status");
        builder.HasIndex(t => t.RunId).HasDatabaseName("ix_tasks_run_id");
        builder.HasIndex(t => t.Assignee).HasDatabaseName("ix_tasks_assignee");
        builder.HasIndex(t => t.Group).HasDatabaseName("ix_tasks_group_name");

        builder.HasOne<RunEntity>().WithMany().HasForeignKey(t => t.RunId)
            .HasConstraintName("fk_tasks_runs").OnDelete(DeleteBehavior.Cascade);
    }
}
