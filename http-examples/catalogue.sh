#!/usr/bin/env bash
# Lists the workflow catalogue, then shows one definition. Start the server first:
#   dotnet run --project src/Server
# Usage: http-examples/catalogue.sh [name]     (HOST=http://host:port to aim elsewhere)
set -euo pipefail

HOST="${HOST:-http://127.0.0.1:5080}"
# `dotnet run --project src/Server` runs in Development mode: no key needed. Against an Enforced server, export
# API_KEY=<a key of Workflows:Security:ApiKeys> and every request sends it in X-Api-Key (docs/security.md).
curl() { command curl ${API_KEY:+-H "X-Api-Key: $API_KEY"} "$@"; }

echo "GET $HOST/api/workflows"
list="$(curl --silent --show-error --fail "$HOST/api/workflows")"
echo "$list"
echo

# The first name in the list unless one is given.
name="${1:-$(printf '%s' "$list" | grep -o '"name":"[^"]*"' | head -n 1 | cut -d '"' -f 4)}"
if [[ -z "$name" ]]; then
  echo "No workflow is registered." >&2
  exit 1
fi

echo "GET $HOST/api/workflows/$name"
curl --silent --show-error --fail "$HOST/api/workflows/$name"
echo
