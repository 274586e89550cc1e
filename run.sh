#!/usr/bin/env bash
# Starts the gateway on the embedded default: HTTPS with mutual TLS on 127.0.0.1:5443, a SQLite
# file in data/, and development certificates created in certs-dev/ on first run; and beside it,
# in the same process, the people's console on https://127.0.0.1:5444 (server TLS, ADR 0022).
# On first start it prints the development console accounts (one worker per partner, an operator
# with a TOTP key). Both URLs are printed once both listen. The API alone: dotnet run --project src/ReferralExchange.Gateway.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project src/ReferralExchange.Console --configuration Release -- "$@"
