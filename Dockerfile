# Referral Exchange image (docs/deploy.md): the gateway (mutual-TLS API, :5443) and, in the same
# process, the people's console (server TLS, :5444; ADR 0022, 0024). The API alone:
# --entrypoint "dotnet /app/ReferralExchange.Gateway.dll" (the console's files are then unused).
# Data, certificates and secrets live on volumes and secret files, never in the image. Runs as a non-root user on a read-only root filesystem:
# the writable places are volumes (/data, /audit-witness) and a tmpfs (/tmp), see docker-compose.yml.

# --- build: every project under src/ (the console references the gateway and each provider's migrations, its own and the gateway's) ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/ReferralExchange.Console/ReferralExchange.Console.csproj -c Release -o /app

# --- run: ASP.NET Core runtime only; no SDK, no compiler, no shell tools added ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY profiles /app/profiles
# uid 10001: never root, never a uid that exists on the host by accident. /data holds person data
# (SQLite only; a server database keeps nothing here but the data-at-rest marker): owner-only.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin gateway \
    && mkdir -p /data /certs /audit-witness \
    && chown gateway /data /audit-witness \
    && chmod 700 /data
USER 10001
# The probe port is loopback-only inside the container (Health/LocalHealthProbe.cs): HEALTHCHECK
# asks it because it cannot present a partner certificate; the balancer probes over mutual TLS.
# The console lives in the same process (either host stopping ends it), so the gateway's probe is
# the container's; the console's balancer asks https://…:5444/health/ready (accounts database too).
# DOTNET_EnableDiagnostics=0: no diagnostic IPC socket, nothing written outside the volumes.
ENV Gateway__Host=0.0.0.0 \
    Gateway__Port=5443 \
    Gateway__HealthProbe__Port=8081 \
    Gateway__DataDirectory=/data \
    Gateway__Audit__Witnesses__0__Type=Directory \
    Gateway__Audit__Witnesses__0__Path=/audit-witness \
    Gateway__CertificatesDirectory=/certs \
    Gateway__ProfilesDirectory=/app/profiles \
    Console__Host=0.0.0.0 \
    Console__Port=5444 \
    DOTNET_EnableDiagnostics=0 \
    DOTNET_NOLOGO=1
EXPOSE 5443 5444
# The witness is its own volume, never the database's (ADR 0013). Production adds an AzureBlob witness.
VOLUME ["/data", "/audit-witness"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["dotnet", "/app/ReferralExchange.Gateway.dll", "probe", "ready"]
ENTRYPOINT ["dotnet", "/app/ReferralExchange.Console.dll"]
