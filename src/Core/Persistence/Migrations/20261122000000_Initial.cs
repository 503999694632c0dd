using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cutover.Core.Persistence.Migrations;

/// <summary>
/// Hand-written (EF's design-time package cannot be installed here). No column types are named, so each provider
/// maps the CLR types itself; <c>MigrationsMatchModelTests</c> fails if this drifts from the model.
/// </summary>
[DbContext(typeof(CutoverDbContext))]
[Migration("20261122000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Agents",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                Description = table.Column<string>(maxLength: 1000, nullable: true),
                AcpUrl = table.Column<string>(maxLength: 2048, nullable: true),
                Health = table.Column<string>(maxLength: 16, nullable: false),
                Sync = table.Column<string>(maxLength: 16, nullable: false),
                ProductionDeploymentId = table.Column<Guid>(nullable: true),
                LastSeenAt = table.Column<DateTime>(nullable: true),
                LastError = table.Column<string>(maxLength: 2000, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                LastSequence = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Agents", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Deployments",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                AgentId = table.Column<Guid>(nullable: false),
                DockerImage = table.Column<string>(maxLength: 512, nullable: false),
                RegistrationMetadata = table.Column<string>(nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                StatusDetail = table.Column<string>(maxLength: 2000, nullable: true),
                AcpUrl = table.Column<string>(maxLength: 2048, nullable: true),
                IsProduction = table.Column<bool>(nullable: false),
                Health = table.Column<string>(maxLength: 16, nullable: false),
                LastHealthAt = table.Column<DateTime>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                PromotedAt = table.Column<DateTime>(nullable: true),
                PromotedBy = table.Column<string>(maxLength: 200, nullable: true),
                ExpiresAt = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Deployments", x => x.Id);
                table.ForeignKey("FK_Deployments_Agents_AgentId", x => x.AgentId, "Agents", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Events",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                AgentId = table.Column<Guid>(nullable: true),
                DeploymentId = table.Column<Guid>(nullable: true),
                Kind = table.Column<string>(maxLength: 32, nullable: false),
                Actor = table.Column<string>(maxLength: 200, nullable: false),
                Reason = table.Column<string>(maxLength: 1000, nullable: true),
                From = table.Column<string>(maxLength: 512, nullable: true),
                To = table.Column<string>(maxLength: 512, nullable: true),
                At = table.Column<DateTime>(nullable: false),
                Sequence = table.Column<long>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Events", x => x.Id);
                table.ForeignKey("FK_Events_Agents_AgentId", x => x.AgentId, "Agents", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Users",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserName = table.Column<string>(maxLength: 64, nullable: false),
                NormalizedUserName = table.Column<string>(maxLength: 64, nullable: false),
                PasswordHash = table.Column<string>(maxLength: 512, nullable: false),
                Role = table.Column<string>(maxLength: 16, nullable: false),
                FailedSignIns = table.Column<int>(nullable: false),
                LockedUntil = table.Column<DateTime>(nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Users", x => x.Id));

        migrationBuilder.CreateTable(
            name: "ApiTokens",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                Kind = table.Column<string>(maxLength: 16, nullable: false),
                Role = table.Column<string>(maxLength: 16, nullable: true),
                AgentName = table.Column<string>(maxLength: 100, nullable: true),
                Prefix = table.Column<string>(maxLength: 32, nullable: false),
                Hash = table.Column<string>(maxLength: 64, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                ExpiresAt = table.Column<DateTime>(nullable: true),
                RevokedAt = table.Column<DateTime>(nullable: true),
                LastUsedAt = table.Column<DateTime>(nullable: true),
                CreatedBy = table.Column<string>(maxLength: 200, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ApiTokens", x => x.Id));

        migrationBuilder.CreateIndex("IX_Agents_Name", "Agents", "Name", unique: true);
        migrationBuilder.CreateIndex("IX_Agents_Health", "Agents", "Health");
        migrationBuilder.CreateIndex("IX_Agents_Sync", "Agents", "Sync");
        migrationBuilder.CreateIndex("IX_Deployments_AgentId_CreatedAt", "Deployments", ["AgentId", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_Deployments_OneProductionPerAgent", "Deployments", "AgentId", unique: true,
            filter: DeploymentConfiguration.ProductionFilter);
        migrationBuilder.CreateIndex("IX_Deployments_ExpiresAt", "Deployments", "ExpiresAt");
        migrationBuilder.CreateIndex("IX_Events_AgentId_Sequence", "Events", ["AgentId", "Sequence"], unique: true);
        migrationBuilder.CreateIndex("IX_Events_At", "Events", "At");
        migrationBuilder.CreateIndex("IX_Events_Kind", "Events", "Kind");
        migrationBuilder.CreateIndex("IX_Events_Actor", "Events", "Actor");
        migrationBuilder.CreateIndex("IX_Users_NormalizedUserName", "Users", "NormalizedUserName", unique: true);
        migrationBuilder.CreateIndex("IX_ApiTokens_Hash", "ApiTokens", "Hash", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("ApiTokens");
        migrationBuilder.DropTable("Users");
        migrationBuilder.DropTable("Events");
        migrationBuilder.DropTable("Deployments");
        migrationBuilder.DropTable("Agents");
    }
}
