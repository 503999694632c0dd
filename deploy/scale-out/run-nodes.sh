#!/usr/bin/env bash
# Starts two Cutover nodes on one PostgreSQL database, on ports 5101 and 5102 (nginx.conf balances them on 8080).
#   CUTOVER_PG="Host=127.0.0.1;Port=5432;Username=cutover;Password=...;Database=cutover" deploy/scale-out/run-nodes.sh
# Node a starts first and migrates the database; node b starts once a answers. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${CUTOVER_PG:?set CUTOVER_PG to an Npgsql connection string}"
out="${CUTOVER_OUT:-/tmp/cutover-scale-out}"
dotnet publish src/Dashboard -c Release -o "$out" -nologo -v q
export ConnectionStrings__Cutover="$CUTOVER_PG" Cutover__Database__Provider=Postgres Cutover__Demo__Enabled=false
# Behind nginx on this host: trust its X-Forwarded-* (loopback is trusted by default).
start() { Cutover__Node__Name="$1" ASPNETCORE_URLS="http://127.0.0.1:$2" dotnet "$out/Cutover.Dashboard.dll" & }
start a 5101
until curl -fsS -o /dev/null http://127.0.0.1:5101/healthz; do sleep 1; done
start b 5102
trap 'kill $(jobs -p) 2>/dev/null' EXIT INT TERM
wait
