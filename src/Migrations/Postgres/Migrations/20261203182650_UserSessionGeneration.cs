using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cutover.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UserSessionGeneration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SessionGeneration",
                table: "Users",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SessionGeneration",
                table: "Users");
        }
    }
}
