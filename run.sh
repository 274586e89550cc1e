#!/usr/bin/env bash
# Starts the gateway on the embedded default: HTTPS with mutual TLS on 127.0.0.1:5443, a SQLite
# file in data/, and development certificates created in certs-dev/ on first run.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project src/ReferralExchange.Gateway --configuration Release -- "$@"
