#!/usr/bin/env bash
# Starts parallel_notify and follows its event stream (Server-Sent Events) until the run ends, then resumes the
# finished stream after item 5 and shows the 204 of a stream with nothing left. Start the server first:
#   dotnet run --project src/Server
# Usage: http-examples/stream.sh     (HOST=http://host:port to aim elsewhere)
set -euo pipefail

HOST="${HOST:-http://127.0.0.1:5080}"
# `dotnet run --project src/Server` runs in Development mode: no key needed. Against an Enforced server, export
# API_KEY=<a key of Workflows:Security:ApiKeys> and every request sends it in X-Api-Key (docs/security.md).
curl() { command curl ${API_KEY:+-H "X-Api-Key: $API_KEY"} "$@"; }

echo "POST $HOST/api/workflows/parallel_notify/instances"
run="$(curl --silent --show-error --fail -X POST "$HOST/api/workflows/parallel_notify/instances" \
  -H 'Content-Type: application/json' \
  -d '{"input": {"delaysMs": {"email": 1500, "slack": 500, "sms": 1000}}}')"
echo "$run"
id="$(printf '%s' "$run" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d '"' -f 4)"
echo

# -N: print each frame as it arrives. The server closes the stream after the terminal item (run.completed).
echo "GET $HOST/api/instances/$id/events   (Accept: text/event-stream)"
curl --silent --show-error --fail -N -H 'Accept: text/event-stream' "$HOST/api/instances/$id/events"
echo "(the stream closed after the terminal item)"
echo

# A reconnecting client sends the last id it saw; the stream goes on from the next item, no gap, no duplicate.
echo "GET $HOST/api/instances/$id/events   (Last-Event-ID: 5)"
curl --silent --show-error --fail -N -H 'Accept: text/event-stream' -H 'Last-Event-ID: 5' "$HOST/api/instances/$id/events" | grep '^id:' | tr '\n' ' '
echo
echo

last="$(curl --silent --show-error --fail "$HOST/api/instances/$id" | grep -o '"lastSequence":[0-9]*' | cut -d ':' -f 2)"
echo "GET $HOST/api/instances/$id/events?after=$last   (a finished run with nothing after the cursor)"
curl --silent --show-error --output /dev/null --write-out 'HTTP %{http_code}\n' -H 'Accept: text/event-stream' "$HOST/api/instances/$id/events?after=$last"
