using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Workflows.Persistence.EntityFramework.Entities;

namespace Workflows.Persistence.EntityFramework.Configurations;

/// <summary><c>schema_version</c>, as the migrator creates it before the first script (StoreDialect.SchemaVersionTableSql).</summary>
internal sealed class SchemaVersionEntityConfiguration : IEntityTypeConfiguration<SchemaVersionEntity>
{
    public void Configure(EntityTypeBuilder<SchemaVersionEntity> builder)
    {
        builder.ToTable("schema_version");
        builder.HasKey(v => v.Version).HasName("pk_schema_version");
        builder.Property(v => v.Version).HasColumnName("version").ValueGeneratedNever();
        builder.Property(v => v.Name).HasColumnName("name");
        builder.Property(v => v.AppliedAt).HasColumnName("applied_at");
    }
}
