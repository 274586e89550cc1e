#!/usr/bin/env bash
# Fills deploy/certs/ and deploy/secrets/ for docker-compose.yml from the development certificates
# (certs-dev/, created by the first `dotnet run --project src/ReferralExchange.Gateway`). For a
# trial of the deployment, not for production: there the certificates come from your CA and the
# audit signing key stays in Azure Key Vault (docs/deploy.md). Existing files are kept; run again
# after deleting one to renew it.
set -euo pipefail
cd "$(dirname "$0")/.."
dev="${RX_DEV_CERTS:-certs-dev}" certs=deploy/certs secrets=deploy/secrets
for f in ca.crt server.pfx gateway-client.pfx gateway-operator.crt gateway-operator.key token-signing.key audit-signing.key; do
  [ -f "$dev/$f" ] || { echo "prepare: $dev/$f is missing: start the gateway once in development mode first (dotnet run --project src/ReferralExchange.Gateway)" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "prepare: openssl is needed" >&2; exit 1; }
# Folders owner-only on the host; files world-readable inside them, because compose bind-mounts
# them into containers whose users (gateway uid 10001, postgres, haproxy) are not the host's.
mkdir -p "$certs" "$secrets" && chmod 700 "$certs" "$secrets"
secret() { [ -f "$secrets/$1" ] || { printf '%s' "$2" > "$secrets/$1"; chmod 644 "$secrets/$1"; }; }
random() { openssl rand -base64 24 | tr -d '/+=\n'; }

secret postgres-superuser-password "$(random)"
secret rx-owner-password "$(random)"
secret rx-gateway-password "$(random)"
secret pg-owner-connection "Host=postgres;Database=referral_exchange;Username=rx_owner;Password=$(cat $secrets/rx-owner-password)"
secret pg-runtime-connection "Host=postgres;Database=referral_exchange;Username=rx_gateway;Password=$(cat $secrets/rx-gateway-password)"
secret mssql-sa-password "Sa-$(random)"
secret mssql-gateway-password "Gw-$(random)"
secret mssql-gateway-connection "Server=sqlserver;Database=ReferralExchange;User Id=rx_gateway;Password=$(cat $secrets/mssql-gateway-password);Encrypt=true;TrustServerCertificate=true"
secret server-certificate-password "$(random)"
secret outbound-certificate-password "$(random)"
secret audit-signing.key "$(cat $dev/audit-signing.key)"
# The people's console (ADR 0024): its accounts' own roles and database, and the keys every
# replica shares (sign-in: identity tokens and codes; Data Protection: cookies, in the accounts database).
secret rx-accounts-owner-password "$(random)"
secret rx-accounts-password "$(random)"
secret pg-accounts-owner-connection "Host=postgres;Database=referral_exchange_accounts;Username=rx_accounts_owner;Password=$(cat $secrets/rx-accounts-owner-password)"
secret pg-accounts-runtime-connection "Host=postgres;Database=referral_exchange_accounts;Username=rx_accounts;Password=$(cat $secrets/rx-accounts-password)"
secret mssql-accounts-password "Ac-$(random)"
secret mssql-accounts-connection "Server=sqlserver;Database=ReferralExchangeAccounts;User Id=rx_accounts;Password=$(cat $secrets/mssql-accounts-password);Encrypt=true;TrustServerCertificate=true"
secret console-signing.key "$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null)"
secret console-encryption.key "$(openssl rand -base64 32)"
secret console-data-protection-password "$(random)"

# PKCS#12 files re-encrypted with the passwords above (the development ones have none).
repack() {
  [ -f "$certs/$2" ] && return 0
  local pem; pem="$(mktemp)"
  openssl pkcs12 -in "$dev/$1" -passin pass: -nodes -out "$pem" 2>/dev/null
  openssl pkcs12 -export -in "$pem" -out "$certs/$2" -passout "pass:$(cat "$secrets/$3")"
  rm -f "$pem"; chmod 644 "$certs/$2"
}
repack server.pfx server.pfx server-certificate-password
repack gateway-client.pfx gateway-outbound.pfx outbound-certificate-password
# The console's Data Protection certificate: an RSA key that encrypts the cookie keys at rest.
if [ ! -f "$certs/console-data-protection.pfx" ]; then
  tmp="$(mktemp -d)"
  openssl req -x509 -newkey rsa:3072 -nodes -days 730 -subj "/CN=Referral Exchange console data protection" \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
  openssl pkcs12 -export -in "$tmp/cert.pem" -inkey "$tmp/key.pem" -out "$certs/console-data-protection.pfx" \
    -passout "pass:$(cat "$secrets/console-data-protection-password")"
  rm -rf "$tmp"; chmod 644 "$certs/console-data-protection.pfx"
fi
for f in ca.crt token-signing.key; do [ -f "$certs/$f" ] || install -m 644 "$dev/$f" "$certs/$f"; done
# The CRL exists once a certificate has been revoked (rx partner revoke); until then there is none
# and nothing is revoked (the gateway re-reads the file when it appears or changes).
[ -f "$dev/ca.crl" ] && install -m 644 "$dev/ca.crl" "$certs/ca.crl"
# Every replica signs tokens with this one key: a token from one replica is valid at the other.
# The balancer's health-check client certificate. STAND-IN: the operator partner's; the replicas
# work (ADR 0020) may give HAProxy a certificate of its own.
[ -f "$certs/haproxy-probe.pem" ] || { printf '%s\n' "$(cat "$dev/gateway-operator.crt")" "$(cat "$dev/gateway-operator.key")" > "$certs/haproxy-probe.pem"; chmod 644 "$certs/haproxy-probe.pem"; }
# Partners and their certificates (production mode registers the certificates the file names).
partners=()
for crt in "$dev"/*.crt; do
  id="$(basename "$crt" .crt)"
  case "$id" in ca|server|gateway-client) continue;; esac
  [ -f "$certs/$id.crt" ] || install -m 644 "$crt" "$certs/$id.crt"
  partners+=("$id")
done
if [ ! -f deploy/partners.json ]; then
  python3 - "${partners[@]}" <<'PY' > deploy/partners.json
import json, sys
seed = json.load(open("src/ReferralExchange.Gateway/partners.json"))
present = set(sys.argv[1:])
seed["partners"] = [dict(p, certificates=[f"/certs/{p['id']}.crt"]) for p in seed["partners"] if p["id"] in present]
seed.pop("$comment", None)
print(json.dumps(seed, indent=2))
PY
fi
echo "prepare: deploy/certs and deploy/secrets are ready; docker compose up --build"
