#!/usr/bin/env bash
# Starts parallel_approvals (three human tasks at once: legal, finance, security), submits one invalid answer to
# show the errors, then completes the three tasks as members of each group, and shows the finished run.
# Start the server first:
#   dotnet run --project src/Server
# Usage: http-examples/approvals.sh     (HOST=http://host:port to aim elsewhere)
#
# Who completes a task: in Development mode (dotnet run), the X-User and X-Groups headers this script sends. On an
# Enforced server those headers are ignored and the caller is the API key's user and groups (docs/security.md), so
# the 403 and 200 below depend on the key's groups.
set -euo pipefail

HOST="${HOST:-http://127.0.0.1:5080}"
# `dotnet run --project src/Server` runs in Development mode: no key needed. Against an Enforced server, export
# API_KEY=<a key of Workflows:Security:ApiKeys> and every request sends it in X-Api-Key (docs/security.md).
curl() { command curl ${API_KEY:+-H "X-Api-Key: $API_KEY"} "$@"; }

echo "POST $HOST/api/workflows/parallel_approvals/instances"
run="$(curl --silent --show-error --fail -X POST "$HOST/api/workflows/parallel_approvals/instances" -H 'Content-Type: application/json' -d '{}')"
echo "$run"
id="$(printf '%s' "$run" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d '"' -f 4)"
echo

# The three tasks open at once; wait (up to 5 s) until the inbox lists them.
for _ in $(seq 1 25); do
  tasks="$(curl --silent --show-error --fail "$HOST/api/tasks?instance=$id&status=pending")"
  [[ "$(printf '%s' "$tasks" | grep -o '"step":"' | wc -l)" -eq 3 ]] && break
  sleep 0.2
done
echo "GET $HOST/api/tasks?instance=$id&status=pending"
echo "$tasks"
echo

task_of() { # the id of the task of step $1
  printf '%s' "$tasks" | sed -n "s/.*\"id\":\"\([^\"]*\)\",\"instanceId\":\"[^\"]*\",\"workflow\":\"[^\"]*\",\"step\":\"$1\".*/\1/p"
}
legal="$(task_of legal_approval)"
finance="$(task_of finance_approval)"
security="$(task_of security_approval)"

complete() { # task, user, groups, body
  echo "POST $HOST/api/tasks/$1/complete   (X-User: $2, X-Groups: $3)   $4"
  curl --silent --show-error --write-out '\nHTTP %{http_code}\n' -X POST "$HOST/api/tasks/$1/complete" \
    -H 'Content-Type: application/json' -H "X-User: $2" -H "X-Groups: $3" -d "$4"
  echo
}

echo "# 1. An invalid answer: approved is not a boolean and risk_level is not one of low, medium, high."
echo "#    422, with every violation in errors, keyed by JSON pointer; nothing is stored."
complete "$security" sam security '{"approved": "yes", "risk_level": "extreme"}'

echo "# 2. The right answer from the wrong group: 403."
complete "$security" fin finance '{"approved": true, "risk_level": "low"}'

echo "# 3. The three valid answers: 200 with the task and the run's new status."
complete "$legal" lea legal '{"approved": true, "comments": "No concerns"}'
complete "$finance" fin finance '{"approved": true, "budget_code": "OPS-2024"}'
complete "$security" sam security '{"approved": true, "risk_level": "low"}'

echo "# 4. Completing a task twice: 409."
complete "$legal" lea legal '{"approved": false}'

sleep 0.2
echo "GET $HOST/api/instances/$id"
curl --silent --show-error --fail "$HOST/api/instances/$id"
echo
