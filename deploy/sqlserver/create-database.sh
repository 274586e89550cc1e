#!/bin/bash
# SQL Server variant, run once by the sqlserver-init service (idempotent). Never run on the
# machines this project is developed on: no SQL Server runs there (README "SQL Server").
# The SQL Server path migrates on the gateway's own connection, so its login owns the database
# (db_owner); the audit tables are ledger tables with APPEND_ONLY = ON, which refuse UPDATE and
# DELETE to every login, db_owner and sa included.
set -euo pipefail
sa_password="$(cat /run/secrets/mssql-sa-password)"
gateway_password="$(cat /run/secrets/mssql-gateway-password)"
/opt/mssql-tools18/bin/sqlcmd -C -S sqlserver -U sa -P "$sa_password" -b \
  -v GatewayPassword="$gateway_password" <<'SQL'
IF DB_ID(N'ReferralExchange') IS NULL CREATE DATABASE [ReferralExchange];
GO
IF SUSER_ID(N'rx_gateway') IS NULL CREATE LOGIN [rx_gateway] WITH PASSWORD = N'$(GatewayPassword)', CHECK_POLICY = ON;
GO
USE [ReferralExchange];
IF USER_ID(N'rx_gateway') IS NULL CREATE USER [rx_gateway] FOR LOGIN [rx_gateway];
ALTER ROLE [db_owner] ADD MEMBER [rx_gateway];
GO
SQL
