#!/usr/bin/env bash
# Outside-generator benchmark (issue 11): installs autocannon 9 from npm into a scratch folder,
# builds the gateway and the bench in Release, seeds any missing cached data set, and prints one
# table per size (workload, req/s, ratio to the bare mTLS endpoint, p50, p99, RSS) plus growth.
#
#   bench/run-outside.sh                                  # 10,000 and 1,000,000 referrals
#   bench/run-outside.sh --sizes 10000 --out bench/results/my-run.txt
#   bench/run-outside.sh --sizes 10000 --token-param purpose_of_use=TREAT
#
# Any option of `growth` / `outside` passes through (see docs/benchmarks.md). Traffic goes to
# 127.0.0.1 only; every autocannon run is bounded by -d and -t.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS="${RX_BENCH_TOOLS:-/tmp/rx-bench-tools}"
AUTOCANNON="$TOOLS/node_modules/autocannon/autocannon.js"
if [ ! -f "$AUTOCANNON" ]; then
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund autocannon@9
fi

dotnet build src/ReferralExchange.Gateway -c Release -nologo -v quiet
dotnet build bench/ReferralExchange.Benchmarks -c Release -nologo -v quiet

sizes="10000,1000000"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

exec dotnet bench/ReferralExchange.Benchmarks/bin/Release/net10.0/ReferralExchange.Benchmarks.dll \
  growth --sizes "$sizes" --autocannon "$AUTOCANNON" "${args[@]}"
