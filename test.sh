#!/usr/bin/env bash
# Runs every test (unit and integration on real Kestrel with mutual TLS and SQLite) and ends
# with the totals as one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet tool restore >/dev/null
dotnet test ReferralExchange.sln --configuration Release \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" \
  --logger "console;verbosity=normal" 2>&1 | grep -vE "^\s*$" | tail -n 400
status=${PIPESTATUS[0]}

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
