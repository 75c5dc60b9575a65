#!/usr/bin/env bash
# Follows every run's status on one stream (GET /api/instances/events, what the dashboard uses) while a
# parallel_approvals run waits for its three approvals and completes. Start the server first:
#   dotnet run --project src/Server
# Usage: http-examples/status-stream.sh     (HOST=http://host:port to aim elsewhere)
#
# Who answers: in Development mode (dotnet run), the X-User and X-Groups headers this script sends. Against an
# Enforced server, export API_KEY=<a key with runs:start, runs:read and tasks:complete in the three groups>; every
# request then sends it in X-Api-Key and the headers are ignored (docs/security.md).
set -euo pipefail

HOST="${HOST:-http://127.0.0.1:5080}"
curl() { command curl ${API_KEY:+-H "X-Api-Key: $API_KEY"} "$@"; }
frames="$(mktemp)"
headers="$(mktemp)"
trap 'rm -f "$frames" "$headers"; [[ -n "${reader:-}" ]] && kill "$reader" 2>/dev/null || true' EXIT

# The stream first (it has no history): every change from the moment it opens.
echo "GET $HOST/api/instances/events?workflow=parallel_approvals   (in the background)"
curl --silent --show-error --fail -N -D "$headers" "$HOST/api/instances/events?workflow=parallel_approvals" > "$frames" &
reader=$!
# The server subscribes before it answers: once the headers are in, no change is missed.
until grep -q '^HTTP' "$headers"; do sleep 0.1; done

run="$(curl --silent --show-error --fail -X POST "$HOST/api/workflows/parallel_approvals/instances" -H 'Content-Type: application/json' -d '{}')"
id="$(printf '%s' "$run" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d '"' -f 4)"
echo "started $id"

# Each approver answers their group's task (X-Groups: the caller's groups, until the server authenticates people).
for group in legal finance security; do
  task="$(curl --silent --show-error --fail "$HOST/api/tasks?status=pending&instance=$id&group=$group" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d '"' -f 4)"
  curl --silent --show-error --fail -o /dev/null -X POST "$HOST/api/tasks/$task/complete" \
    -H 'Content-Type: application/json' -H "X-User: $group-approver" -H "X-Groups: $group" \
    -d '{"approved": true, "risk_level": "low"}'
  echo "$group approved"
done

# The run's end is on the stream once it is published.
until grep -q "\"instanceId\":\"$id\".*\"status\":\"completed\"" "$frames"; do sleep 0.1; done
echo
echo "The stream said (one frame per status change: waiting, maybe running, completed):"
grep '^data:' "$frames" | grep "$id"
