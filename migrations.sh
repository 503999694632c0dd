#!/usr/bin/env bash
# EF Core migrations for both providers, generated from the one model (src/Core/Persistence).
#   ./migrations.sh add <Name>     add a migration to the SQLite and the PostgreSQL set (src/Migrations/*)
#   ./migrations.sh remove         remove the last migration from both sets (only if not applied anywhere)
#   ./migrations.sh list           list both sets
#   ./migrations.sh script         print the SQL of both sets (idempotent scripts)
# Uses the dotnet-ef version pinned in .config/dotnet-tools.json. The tests fail while the model has changes that
# no migration covers (HasPendingModelChanges), and the upgrade test migrates a database made by an older release.
set -euo pipefail
cd "$(dirname "$0")"

command="${1:-}"
dotnet tool restore >/dev/null

for provider in Sqlite Postgres; do
  project="src/Migrations/$provider/Migrations.$provider.csproj"
  case "$command" in
    add)
      name="${2:?usage: ./migrations.sh add <Name>}"
      echo "== $provider: add $name =="
      dotnet ef migrations add "$name" --project "$project" --output-dir Migrations
      ;;
    remove) echo "== $provider: remove =="; dotnet ef migrations remove --project "$project" ;;
    list) echo "== $provider =="; dotnet ef migrations list --project "$project" --no-connect ;;
    script) echo "-- == $provider =="; dotnet ef migrations script --idempotent --project "$project" ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
  esac
done
