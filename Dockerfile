# syntax=docker/dockerfile:1
# One image for every Stepwise process: api, worker, scheduler, migrations, and `npm start` (all in one).
# TypeScript runs as it is through tsx, so there is no build: the image is dependencies plus sources.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
# Manifests first, so the dependency layer is rebuilt only when they change. Every workspace is listed:
# npm ci links workspaces from their package.json (a test checks none is missing here).
COPY package.json package-lock.json ./
COPY packages/asl/package.json packages/asl/
COPY packages/aws-config/package.json packages/aws-config/
COPY packages/cli/package.json packages/cli/
COPY packages/integrations/package.json packages/integrations/
COPY packages/object-storage/package.json packages/object-storage/
COPY packages/runtime/package.json packages/runtime/
COPY packages/storage/package.json packages/storage/
COPY packages/testkit/package.json packages/testkit/
COPY packages/tracing/package.json packages/tracing/
COPY packages/triggers/package.json packages/triggers/
COPY apps/all-in-one/package.json apps/all-in-one/
COPY apps/api/package.json apps/api/
COPY apps/console/package.json apps/console/
COPY apps/scheduler/package.json apps/scheduler/
COPY apps/worker/package.json apps/worker/
# Run by npm ci (postinstall): patches the postgres driver's crash on a closed connection.
COPY packages/storage/scripts/patch-postgres-driver.mjs packages/storage/scripts/
# tsx, which runs the sources, is a devDependency: install them all.
RUN npm ci --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# redis-server lets `docker run` of the all-in-one default work with no REDIS_URL (Postgres is embedded).
RUN apt-get update \
  && apt-get install -y --no-install-recommends redis-server \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    STEPWISE_DATA_DIR=/app/.stepwise
WORKDIR /app
COPY --from=deps /app ./
COPY . .
# Postgres refuses to run as root, and nothing else needs it.
RUN mkdir -p .stepwise && chown node:node .stepwise
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "start"]
