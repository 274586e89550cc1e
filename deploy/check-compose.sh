#!/usr/bin/env bash
# Checks docker-compose.yml for both variants without a Docker engine (`config` needs none):
# the default PostgreSQL deployment and the SQL Server 2022 profile. Installs docker-compose
# (Debian's package) when no compose is present; fails loudly when it cannot.
set -uo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "check-compose: no docker compose; installing docker-compose (apt)" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } >/dev/null 2>&1; then
    echo "FATAL: docker-compose is not installed and apt-get install docker-compose failed" >&2
    exit 1
  fi
  compose=(docker-compose)
fi
if ! python3 -c "import yaml" 2>/dev/null && ! { apt-get install -y -qq python3-yaml >/dev/null 2>&1 && python3 -c "import yaml"; }; then
  echo "FATAL: python3 with yaml (python3-yaml) is needed to check the profiles" >&2
  exit 1
fi
# config resolves the secret files' paths but does not read them: no secrets are needed to check.
# docker-compose 1.x lists every service whatever the profile, so the profiles are checked here.
if ! out="$("${compose[@]}" -f docker-compose.yml --profile sqlserver config 2>&1)"; then
  echo "FATAL: docker-compose.yml does not pass config:" >&2
  printf '%s\n' "$out" >&2
  exit 1
fi
if ! "${compose[@]}" -f docker-compose.yml config -q; then
  echo "FATAL: docker-compose.yml (default variant) does not pass config" >&2
  exit 1
fi
printf '%s\n' "$out" | python3 -c '
import sys, yaml
d = yaml.safe_load(sys.stdin)
services = d["services"]
variants = {
    "default (PostgreSQL)": ({"postgres", "gateway-1", "gateway-2", "haproxy", "haproxy-console"}, None),
    "sqlserver profile": ({"sqlserver", "sqlserver-init", "gateway-sqlserver-1", "gateway-sqlserver-2", "haproxy-sqlserver", "haproxy-console-sqlserver"}, "sqlserver"),
}
problems = []
for name, (expected, profile) in variants.items():
    found = {n for n, s in services.items() if (s.get("profiles") or [None])[0] == profile}
    if found != expected:
        problems.append(f"{name}: services {sorted(found)}, expected {sorted(expected)}")
    print(f"check-compose: {name}: {sorted(found)}")
for n, s in services.items():
    if n.startswith("gateway"):
        env = s.get("environment", {})
        targets = {x["target"] for x in s.get("secrets", [])}
        if not s.get("read_only"): problems.append(f"{n}: root filesystem not read-only")
        if "healthcheck" not in s: problems.append(f"{n}: no health check")
        if "Gateway__Database__ConnectionString" not in targets: problems.append(f"{n}: connection string not from a secret file")
        # The console (ADR 0024): accounts in their own database from a secret file, a public https
        # URL, sign-in keys shared as secret files, the cookie keys encrypted with a certificate.
        if "Console__Database__ConnectionString" not in targets: problems.append(f"{n}: accounts connection string not from a secret file")
        if env.get("Console__Database__Provider") not in ("postgresql", "sqlserver"): problems.append(f"{n}: accounts not in a server database")
        if not str(env.get("Console__PublicBaseUrl", "")).startswith("https://"): problems.append(f"{n}: no https Console__PublicBaseUrl")
        if not {"console-signing.key", "console-encryption.key", "Console__DataProtection__CertificatePassword"} <= targets: problems.append(f"{n}: console keys not from secret files")
        if not env.get("Console__DataProtection__CertificatePath"): problems.append(f"{n}: Data Protection keys not encrypted with a certificate")
        if any(k.endswith(("Password", "ConnectionString")) for k in env): problems.append(f"{n}: a password or connection string in the environment")
        if not any(v.endswith(":/audit-witness:rw") or v.endswith(":/audit-witness") for v in s.get("volumes", [])): problems.append(f"{n}: no witness volume")
    if n in ("postgres", "sqlserver", "haproxy", "haproxy-console") and "healthcheck" not in s:
        problems.append(f"{n}: no health check")
for p in problems: print("FATAL: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
' || exit 1
echo "check-compose: both variants pass docker-compose config"
