using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.EntityFramework.Entities;

namespace Workflows.Persistence.EntityFramework.Configurations;

/// <summary><c>run_states</c>, as Schema/*/001_initial.sql creates it.</summary>
internal sealed class RunStateEntityConfiguration : IEntityTypeConfiguration<RunStateEntity>
{
    public void Configure(EntityTypeBuilder<RunStateEntity> builder)
    {
        builder.ToTable("run_states");
        builder.HasKey(s => s.RunId).HasName("pk_run_states");
        builder.Property(s => s.RunId).HasColumnName("run_id");
        builder.Property(s => s.StateJson).HasColumnName("state_json");

        builder.HasOne<RunEntity>().WithOne().HasForeignKey<RunStateEntity>(s => s.RunId)
            .HasConstraintName("fk_run_states_runs").OnDelete(DeleteBehavior.Cascade);
    }
}
