# Referral Exchange gateway image. Data and certificates live on volumes, never in the image.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/ReferralExchange.Gateway -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
COPY profiles /app/profiles
# /data holds person data: owner-only. /certs-ca holds the development CA key (development mode only).
RUN useradd --system --uid 10001 gateway && mkdir -p /data /certs /certs-ca /audit-witness && chown gateway /data /certs /certs-ca /audit-witness \
    && chmod 700 /data /certs-ca
USER gateway
ENV Gateway__Host=0.0.0.0 \
    Gateway__Port=5443 \
    Gateway__DataDirectory=/data \
    Gateway__Audit__Witnesses__0__Type=Directory \
    Gateway__Audit__Witnesses__0__Path=/audit-witness \
    Gateway__CertificatesDirectory=/certs \
    Gateway__ProfilesDirectory=/app/profiles
EXPOSE 5443
# The witness is its own volume: never the database's (ADR 0013). Production adds an AzureBlob witness.
VOLUME ["/data", "/certs", "/audit-witness"]
ENTRYPOINT ["dotnet", "ReferralExchange.Gateway.dll"]
