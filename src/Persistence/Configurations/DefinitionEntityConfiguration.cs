using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.EntityFramework.Entities;

namespace Workflows.Persistence.EntityFramework.Configurations;

/// <summary><c>definitions</c>, as Schema/*/001_initial.sql creates it.</summary>
internal sealed class DefinitionEntityConfiguration : IEntityTypeConfiguration<DefinitionEntity>
{
    public void Configure(EntityTypeBuilder<DefinitionEntity> builder)
    {
        builder.ToTable("definitions");
        builder.HasKey(d => new { d.Name, d.Version }).HasName("pk_definitions");
        builder.Property(d => d.Name).HasColumnName("name");
        builder.Property(d => d.Version).HasColumnName("version");
        builder.Property(d => d.Kind).HasColumnName("kind");
        builder.Property(d => d.ShapeHash).HasColumnName("shape_hash");
        builder.Property(d => d.FirstSeenAt).HasColumnName("first_seen_at");
    }
}
