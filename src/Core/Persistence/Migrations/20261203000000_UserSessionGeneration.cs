using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cutover.Core.Persistence.Migrations;

/// <summary>Users.SessionGeneration: bumped at sign-out so cookies issued before stop working on the server.</summary>
[DbContext(typeof(CutoverDbContext))]
[Migration("20261203000000_UserSessionGeneration")]
public sealed class UserSessionGeneration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<int>(name: "SessionGeneration", table: "Users", nullable: false, defaultValue: 0);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "SessionGeneration", table: "Users");
}
