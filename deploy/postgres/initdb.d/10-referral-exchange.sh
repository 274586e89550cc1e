#!/bin/bash
# First start of the postgres container only (docker-entrypoint-initdb.d): the DBA step of ADR 0017.
# rx_owner owns the database and runs the migrations; rx_gateway is the runtime role, which the
# gateway grants INSERT/SELECT only on the audit tables after migrating. Passwords come from secret files.
set -euo pipefail
owner_password="$(cat /run/secrets/rx-owner-password)"
gateway_password="$(cat /run/secrets/rx-gateway-password)"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v owner_password="$owner_password" -v gateway_password="$gateway_password" <<'SQL'
CREATE ROLE rx_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE rx_gateway LOGIN PASSWORD :'gateway_password';
CREATE DATABASE referral_exchange OWNER rx_owner;
REVOKE ALL ON DATABASE referral_exchange FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE referral_exchange TO rx_gateway;
SQL
