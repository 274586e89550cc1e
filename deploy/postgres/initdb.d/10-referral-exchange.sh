#!/bin/bash
# First start of the postgres container only (docker-entrypoint-initdb.d): the DBA step of ADR 0017.
# rx_owner owns the database and runs the migrations; rx_gateway is the runtime role, which the
# gateway grants INSERT/SELECT only on the audit tables after migrating. The people's console keeps
# its accounts (password hashes, authenticator keys, sign-in and cookie keys) in a database of its
# own with roles of its own (ADR 0024): rx_accounts_owner migrates it, rx_accounts is what the
# console runs as, and neither can connect to the exchange's database, nor the exchange's roles to
# theirs. Passwords come from secret files.
set -euo pipefail
owner_password="$(cat /run/secrets/rx-owner-password)"
gateway_password="$(cat /run/secrets/rx-gateway-password)"
accounts_owner_password="$(cat /run/secrets/rx-accounts-owner-password)"
accounts_password="$(cat /run/secrets/rx-accounts-password)"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v owner_password="$owner_password" -v gateway_password="$gateway_password" \
     -v accounts_owner_password="$accounts_owner_password" -v accounts_password="$accounts_password" <<'SQL'
CREATE ROLE rx_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE rx_gateway LOGIN PASSWORD :'gateway_password';
CREATE DATABASE referral_exchange OWNER rx_owner;
REVOKE ALL ON DATABASE referral_exchange FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE referral_exchange TO rx_gateway;
CREATE ROLE rx_accounts_owner LOGIN PASSWORD :'accounts_owner_password';
CREATE ROLE rx_accounts LOGIN PASSWORD :'accounts_password';
CREATE DATABASE referral_exchange_accounts OWNER rx_accounts_owner;
REVOKE ALL ON DATABASE referral_exchange_accounts FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE referral_exchange_accounts TO rx_accounts;
SQL
