using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cutover.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Guards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DefaultGuardJson",
                table: "Agents",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Guards",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AgentId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeploymentId = table.Column<Guid>(type: "uuid", nullable: false),
                    PreviousDeploymentId = table.Column<Guid>(type: "uuid", nullable: true),
                    Window = table.Column<TimeSpan>(type: "interval", nullable: false),
                    MaxErrorRate = table.Column<double>(type: "double precision", nullable: false),
                    MinRequests = table.Column<int>(type: "integer", nullable: false),
                    RequireHealthy = table.Column<bool>(type: "boolean", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndsAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    EndRequests = table.Column<long>(type: "bigint", nullable: true),
                    EndErrors = table.Column<long>(type: "bigint", nullable: true),
                    EndHealth = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    RevertedToDeploymentId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Guards", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Guards_Agents_AgentId",
                        column: x => x.AgentId,
                        principalTable: "Agents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GuardSamples",
                columns: table => new
                {
                    GuardId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reporter = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Requests = table.Column<long>(type: "bigint", nullable: false),
                    Errors = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GuardSamples", x => new { x.GuardId, x.Reporter });
                    table.ForeignKey(
                        name: "FK_GuardSamples_Guards_GuardId",
                        column: x => x.GuardId,
                        principalTable: "Guards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Guards_AgentId_StartedAt",
                table: "Guards",
                columns: new[] { "AgentId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Guards_OneWatchingPerAgent",
                table: "Guards",
                column: "AgentId",
                unique: true,
                filter: "\"Status\" = 'Watching'");

            migrationBuilder.CreateIndex(
                name: "IX_Guards_Status",
                table: "Guards",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GuardSamples");

            migrationBuilder.DropTable(
                name: "Guards");

            migrationBuilder.DropColumn(
                name: "DefaultGuardJson",
                table: "Agents");
        }
    }
}
