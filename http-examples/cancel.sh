#!/usr/bin/env bash
# Starts a run that would take a minute, cancels it with a reason, and shows that a second cancel is refused (409).
# Start the server first:
#   dotnet run --project src/Server
# Usage: http-examples/cancel.sh     (HOST=http://host:port to aim elsewhere)
set -euo pipefail

HOST="${HOST:-http://127.0.0.1:5080}"
# `dotnet run --project src/Server` runs in Development mode: no key needed. Against an Enforced server, export
# API_KEY=<a key of Workflows:Security:ApiKeys> and every request sends it in X-Api-Key (docs/security.md).
curl() { command curl ${API_KEY:+-H "X-Api-Key: $API_KEY"} "$@"; }

echo "POST $HOST/api/workflows/parallel_notify/instances"
run="$(curl --silent --show-error --fail -X POST "$HOST/api/workflows/parallel_notify/instances" \
  -H 'Content-Type: application/json' \
  -d '{"input": {"delaysMs": {"email": 60000, "slack": 60000, "sms": 60000}}}')"
echo "$run"
id="$(printf '%s' "$run" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d '"' -f 4)"
echo

echo "POST $HOST/api/instances/$id/cancel   {\"reason\": \"no longer needed\"}"
curl --silent --show-error --write-out '\nHTTP %{http_code}\n' -X POST "$HOST/api/instances/$id/cancel" \
  -H 'Content-Type: application/json' -d '{"reason": "no longer needed"}'
echo

echo "POST $HOST/api/instances/$id/cancel   (again: the run has ended)"
curl --silent --show-error --write-out '\nHTTP %{http_code}\n' -X POST "$HOST/api/instances/$id/cancel"
echo

echo "GET $HOST/api/instances/$id/events   (the stream ends with run.canceled)"
curl --silent --show-error --fail -N -H 'Accept: text/event-stream' "$HOST/api/instances/$id/events" | grep '^event:' | tr '\n' ' '
echo
