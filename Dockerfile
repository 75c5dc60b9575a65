# The workflow server. Build: docker build -t workflows .   Run: docker run -p 8080:8080 -v workflows-data:/data workflows
# scripts/publish.sh performs the build stage's steps on a machine without Docker.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# global.json is left out on purpose: it names this repository's SDK (10.0.401), which the image may not carry;
# any .NET 10 SDK builds the server.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Engine/Workflows.Engine.csproj src/Engine/
COPY src/Definitions/Workflows.Definitions.csproj src/Definitions/
COPY src/Persistence/Workflows.Persistence.csproj src/Persistence/
COPY src/Server/Workflows.Server.csproj src/Server/
RUN dotnet restore src/Server/Workflows.Server.csproj
COPY appsettings.json ./
COPY src/ src/
RUN dotnet publish src/Server/Workflows.Server.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# /data holds the SQLite database (ConnectionStrings__Workflows below); the image's non-root user owns it.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
COPY --from=build /app ./
USER $APP_UID
# URLS (not only ASPNETCORE_URLS): the copied appsettings.json sets "Urls" to 127.0.0.1:5080, and plain
# environment variables are the configuration source that overrides it. The same goes for the connection string:
# the runs go to the volume, not to /app (which the non-root user cannot write).
ENV ASPNETCORE_URLS=http://+:8080 \
    URLS=http://+:8080 \
    ConnectionStrings__Workflows="Data Source=/data/workflows.db" \
    Workflows__Security__KeyRingDirectory=/data/keys
EXPOSE 8080
# The image has neither curl nor wget: the server binary checks itself (GET http://localhost:8080/health, exit 0/1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["dotnet", "/app/Workflows.Server.dll", "--healthcheck"]
ENTRYPOINT ["dotnet", "/app/Workflows.Server.dll"]
