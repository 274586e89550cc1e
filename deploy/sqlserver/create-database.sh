#!/bin/bash
# SQL Server variant, run once by the sqlserver-init service (idempotent). Never run on the
# machines this project is developed on: no SQL Server runs there (README "SQL Server").
# The SQL Server path migrates on the gateway's own connection, so its login owns the database
# (db_owner); the audit tables are ledger tables with APPEND_ONLY = ON, which refuse UPDATE and
# DELETE to every login, db_owner and sa included.
set -euo pipefail
sa_password="$(cat /run/secrets/mssql-sa-password)"
gateway_password="$(cat /run/secrets/mssql-gateway-password)"
accounts_password="$(cat /run/secrets/mssql-accounts-password)"
# The console's accounts (ADR 0024): their own database and login, which owns that database only.
/opt/mssql-tools18/bin/sqlcmd -C -S sqlserver -U sa -P "$sa_password" -b \
  -v GatewayPassword="$gateway_password" -v AccountsPassword="$accounts_password" <<'SQL'
IF DB_ID(N'ReferralExchange') IS NULL CREATE DATABASE [ReferralExchange];
GO
IF SUSER_ID(N'rx_gateway') IS NULL CREATE LOGIN [rx_gateway] WITH PASSWORD = N'$(GatewayPassword)', CHECK_POLICY = ON;
GO
USE [ReferralExchange];
IF USER_ID(N'rx_gateway') IS NULL CREATE USER [rx_gateway] FOR LOGIN [rx_gateway];
ALTER ROLE [db_owner] ADD MEMBER [rx_gateway];
GO
IF DB_ID(N'ReferralExchangeAccounts') IS NULL CREATE DATABASE [ReferralExchangeAccounts];
GO
IF SUSER_ID(N'rx_accounts') IS NULL CREATE LOGIN [rx_accounts] WITH PASSWORD = N'$(AccountsPassword)', CHECK_POLICY = ON;
GO
USE [ReferralExchangeAccounts];
IF USER_ID(N'rx_accounts') IS NULL CREATE USER [rx_accounts] FOR LOGIN [rx_accounts];
ALTER ROLE [db_owner] ADD MEMBER [rx_accounts];
GO
SQL
