using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.EntityFramework.Entities;

namespace Workflows.Persistence.EntityFramework.Configurations;

/// <summary><c>run_items</c>, as Schema/*/001_initial.sql creates it: the key is also the read order.</summary>
internal sealed class RunItemEntityConfiguration : IEntityTypeConfiguration<RunItemEntity>
{
    public void Configure(EntityTypeBuilder<RunItemEntity> builder)
    {
        builder.ToTable("run_items");
        builder.HasKey(i => new { i.RunId, i.Sequence }).HasName("pk_run_items");
        builder.Property(i => i.RunId).HasColumnName("run_id");
        builder.Property(i => i.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(i => i.Type).HasColumnName("type");
        builder.Property(i => i.RecordedAt).HasColumnName("recorded_at");
        builder.Property(i => i.Json).HasColumnName("json");

        builder.HasOne<RunEntity>().WithMany().HasForeignKey(i => i.RunId)
            .HasConstraintName("fk_run_items_runs").OnDelete(DeleteBehavior.Cascade);
    }
}
