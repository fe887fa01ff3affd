# Production image for the jobkunde API.
#
#   docker build -t jobkunde-api .
#
# The binary is built with -tags noembedded: it has no embedded FerretDB
# engine, so it needs MONGODB_URI (and therefore JWT_PRIVATE_KEY or
# JWT_PRIVATE_KEY_FILE). See .env.example and docker-compose.yml.

# ---- build ------------------------------------------------------------------
# go.mod says go 1.26.8; if this image ships an older 1.26.x, the go command
# fetches the required toolchain itself (GOTOOLCHAIN=auto is the default).
FROM golang:1.26-bookworm AS build
WORKDIR /src

# Dependencies first, in their own layer: it is rebuilt only when go.mod or
# go.sum change, not on every source edit.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=0 go build -trimpath -tags noembedded -ldflags "-s -w" -o /out/api ./cmd/api

# ---- run --------------------------------------------------------------------
# distroless/static: CA certificates, /usr/share/zoneinfo and a "nonroot"
# user (uid/gid 65532), no shell and no package manager.
FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/api /api

# With MONGODB_URI the service writes no files, so a read-only root
# filesystem works.
USER nonroot:nonroot

ENV PORT=8080
EXPOSE 8080

# No HEALTHCHECK: the image has no shell or curl. The orchestrator should
# probe GET /healthz (liveness: the process answers) and GET /readyz
# (readiness: the database is reachable; 503 otherwise).
ENTRYPOINT ["/api"]
CMD ["serve"]
