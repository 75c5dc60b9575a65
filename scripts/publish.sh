#!/usr/bin/env bash
# The Dockerfile's build stage, runnable where no Docker engine is: publishes the server to ./publish.
# Start the result with:  cd publish && ASPNETCORE_URLS=http://127.0.0.1:8080 dotnet Workflows.Server.dll
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-publish}"
rm -rf "$out"
dotnet restore src/Server/Workflows.Server.csproj
dotnet publish src/Server/Workflows.Server.csproj -c Release --no-restore -o "$out"
echo "Published to $out/ (entry point: Workflows.Server.dll)"
