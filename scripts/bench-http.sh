#!/usr/bin/env bash
# The HTTP benchmark (docs/benchmarks.md, "http"): the server in Release on loopback with a fresh SQLite file, then
#   1. wrk: GET /api/workflows/parallel_notify            the HTTP floor (routing + one JSON answer; no run, no database)
#   2. wrk: POST /api/workflows/parallel_notify/instances?wait=5 with delaysMs 0
#      = durable runs started and completed per second (?wait answers 200 only once the run has ended)
#   3. sse: 2 warm-up runs, then 1 then 1,000 concurrent SSE subscribers of parallel_approvals runs; latency from an
#      item's timestamp to its arrival at each subscriber (benchmarks/Engine.Benchmarks, `sse` mode, raw sockets)
# then stops the server. Installs wrk (Debian package) when missing.
#
#   bash scripts/bench-http.sh
#
# Settings (environment): PORT (5190), DURATION seconds of each measured wrk pass (15), WARMUP seconds (5),
# THREADS (2), CONNECTIONS (64), SUBSCRIBERS (1000), SSE_RUNS (20), KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-5190}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
SUBSCRIBERS="${SUBSCRIBERS:-1000}"
SSE_RUNS="${SSE_RUNS:-20}"
TARGET_RUNS_PER_S=2000
URL="http://127.0.0.1:$PORT"
WORK="$(mktemp -d /tmp/workflows-bench-http.XXXXXX)"

say() { echo "bench-http: $*" >&2; }

# --- wrk ---------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  say "installing wrk (apt-get install -y wrk)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq wrk; } >&2 || { say "could not install wrk"; exit 1; }
fi

# --- build -------------------------------------------------------------------------------------------------------
say "publishing the server (Release) to $WORK/server, building the benchmarks (Release)"
dotnet publish src/Server/Workflows.Server.csproj -c Release -o "$WORK/server" -v quiet -nologo >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; exit 1; }
dotnet build benchmarks/Engine.Benchmarks -c Release -v quiet -nologo >>"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; exit 1; }

# --- server ------------------------------------------------------------------------------------------------------
if curl -s -o /dev/null "$URL/health"; then
  say "something already answers on $URL; set PORT to a free port"
  exit 1
fi
say "starting the server on $URL with a fresh SQLite file $WORK/bench.db (log: $WORK/server.log)"
(
  cd "$WORK/server"
  # Development mode and no start rate limit: the benchmark measures the engine and HTTP, not the security layer.
  exec env ConnectionStrings__Workflows="Data Source=$WORK/bench.db" \
    Workflows__Security__Mode=Development Workflows__Server__RunStartsPerSecond=0 \
    dotnet Workflows.Server.dll --urls "$URL" >"$WORK/server.log" 2>&1
) &
SERVER_PID=$!
cleanup() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -s -o /dev/null -w '%{http_code}' "$URL/health" 2>/dev/null | grep -q 200 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; say "the server did not start"; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$URL/health" || { cat "$WORK/server.log" >&2; say "the server did not become healthy"; exit 1; }

# --- wrk scripts -------------------------------------------------------------------------------------------------
# Counts answers by status in every thread and prints one BENCH line: wrk's own summary counts any answer.
cat >"$WORK/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; accepted = 0; other = 0 end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 elseif status == 202 then accepted = accepted + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local o, a, x = 0, 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); a = a + t:get("accepted"); x = x + t:get("other") end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("BENCH ok=%d accepted=%d other=%d socket_errors=%d seconds=%.2f ok_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    o, a, x, e.connect + e.read + e.write + e.timeout, seconds, o / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
{
  echo 'wrk.method = "POST"'
  echo 'wrk.headers["Content-Type"] = "application/json"'
  echo 'wrk.body = '"'"'{"input": {"delaysMs": {"email": 0, "slack": 0, "sms": 0}}}'"'"
  cat "$WORK/count.lua"
} >"$WORK/post.lua"

# CPU accounting (Linux, USER_HZ ticks): the machine's busy and total time (hypervisor steal counts as busy), and a
# process's own. The machines are shared: what other processes took while a pass ran is printed beside it.
machine_ticks() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat; }
process_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
HZ="$(getconf CLK_TCK)"

# wrk PASS_NAME LUA PATH: a warm-up pass (not reported), then the measured pass; prints its BENCH line with the
# server's CPU (cores) and the share of the machine other processes took (foreign = busy - server - wrk).
run_wrk() {
  local name="$1" lua="$2" path="$3"
  say "$name: warm-up ${WARMUP} s"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s -s "$lua" "$URL$path" >"$WORK/$name.warmup.txt"
  say "$name: measuring ${DURATION} s, $THREADS threads, $CONNECTIONS connections"
  local before server_before after server_after wrk_cpu
  before="$(machine_ticks)"; server_before="$(process_ticks "$SERVER_PID")"
  wrk_cpu="$( { TIMEFORMAT='%U %S'; time wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$lua" "$URL$path" >"$WORK/$name.txt"; } 2>&1 )"
  after="$(machine_ticks)"; server_after="$(process_ticks "$SERVER_PID")"
  sed 's/^/    /' "$WORK/$name.txt" >&2
  local load
  load="$(awk -v b="$before" -v a="$after" -v sb="$server_before" -v sa="$server_after" -v w="$wrk_cpu" -v hz="$HZ" -v d="$DURATION" 'BEGIN {
    split(b, B, " "); split(a, A, " "); split(w, W, " ");
    busy = A[1] - B[1]; total = A[2] - B[2]; server = sa - sb; wrk = (W[1] + W[2]) * hz;
    foreign = total > 0 ? (busy - server - wrk) / total : 0; if (foreign < 0) foreign = 0;
    printf "server_cores=%.2f wrk_cores=%.2f foreign=%.0f%%", server / hz / d, wrk / hz / d, 100 * foreign }')"
  echo "$(grep '^BENCH ' "$WORK/$name.txt") $load"
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

echo "$(date '+%Y-%m-%d %H:%M') | $(nproc) cores | server: $URL (Release, SQLite $WORK/bench.db, synchronous=normal) | wrk $THREADS threads, $CONNECTIONS connections, ${DURATION} s per pass"
FLOOR="$(run_wrk floor "$WORK/count.lua" /api/workflows/parallel_notify)"
RUNS="$(run_wrk runs "$WORK/post.lua" '/api/workflows/parallel_notify/instances?wait=5')"

# The store must hold what the answers said: every 200 a completed run (warm-up passes included).
STORED="$(python3 - "$WORK/bench.db" <<'PY' 2>/dev/null || echo "?"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(" ".join(f"{s}={n}" for s, n in db.execute("SELECT status, COUNT(*) FROM runs GROUP BY status ORDER BY status")))
PY
)"

echo
printf '%-58s %12s %9s %9s %9s %9s  %s\n' "pass" "answers/s" "p50 ms" "p90 ms" "p99 ms" "ratio" "answers"
printf '%-58s %12s %9s %9s %9s %9s  %s\n' "GET /api/workflows/parallel_notify (HTTP floor)" \
  "$(field "$FLOOR" ok_per_s)" "$(field "$FLOOR" p50_ms)" "$(field "$FLOOR" p90_ms)" "$(field "$FLOOR" p99_ms)" "-" \
  "200: $(field "$FLOOR" ok), other: $(field "$FLOOR" other), socket errors: $(field "$FLOOR" socket_errors)"
RATIO="$(awk -v r="$(field "$RUNS" ok_per_s)" -v f="$(field "$FLOOR" ok_per_s)" 'BEGIN { printf "%.2f", (f > 0 ? r / f : 0) }')"
printf '%-58s %12s %9s %9s %9s %9s  %s\n' "POST parallel_notify/instances?wait=5 (runs completed/s)" \
  "$(field "$RUNS" ok_per_s)" "$(field "$RUNS" p50_ms)" "$(field "$RUNS" p90_ms)" "$(field "$RUNS" p99_ms)" "$RATIO" \
  "200 (completed): $(field "$RUNS" ok), 202 (still running): $(field "$RUNS" accepted), other: $(field "$RUNS" other), socket errors: $(field "$RUNS" socket_errors)"
echo "  runs in the store afterwards (warm-up passes included): $STORED"
for pass in "floor:$FLOOR" "runs:$RUNS"; do
  line="${pass#*:}"
  foreign="$(field "$line" foreign)"
  echo "  ${pass%%:*}: server $(field "$line" server_cores) cores, wrk $(field "$line" wrk_cores) cores; other processes (and hypervisor steal) took $foreign of the machine's CPU$( [[ "${foreign%\%}" -gt 15 ]] && echo ' (noisy: rerun on a quiet machine)')."
done
VERDICT="$(awk -v r="$(field "$RUNS" ok_per_s)" -v t="$TARGET_RUNS_PER_S" 'BEGIN { print (r >= t ? "met" : "MISSED") }')"
echo "target >= $TARGET_RUNS_PER_S durable runs started and completed/s through HTTP: $(field "$RUNS" ok_per_s) runs/s: $VERDICT"
echo

say "sse: 1, then $SUBSCRIBERS subscribers, $SSE_RUNS runs each"
# The subscribers' socket completions run on the socket engine's thread (no thread-pool hop per read): the client
# shares the cores with the server, so the leaner it reads, the less it inflates the figures.
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 \
  dotnet run -c Release --no-build --project benchmarks/Engine.Benchmarks -- sse --url "$URL" --subscribers "$SUBSCRIBERS" --runs "$SSE_RUNS" --server-pid "$SERVER_PID"

if grep -qiE '\b(fail|error|exception)' "$WORK/server.log"; then
  say "the server logged errors:"
  grep -iE '\b(fail|error|exception)' "$WORK/server.log" | head -20 >&2
fi
