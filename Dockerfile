# Every Relaycast image, one target each, built from the repository root:
#   docker build --target web -t relaycast/web .     (also runs npm run db:migrate, admin:create)
#   docker build --target chat -t relaycast/chat .
#   docker build --target media -t relaycast/media .
#   docker build --target ircd -t relaycast/ircd .
# Each runs TypeScript from source through tsx, as node (not root), with its own workspace's
# production dependencies only.
FROM node:20-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false \
    NEXT_TELEMETRY_DISABLED=1

# The lockfile and every workspace's package.json at its path: all that `npm ci` reads, so the
# install layers below are rebuilt only when one of them changes, not on every source edit.
FROM base AS manifests
COPY . /src
RUN cd /src && cp package-lock.json /app/ && find . -name package.json -exec cp --parents {} /app/ \;

# The Prisma client (packages/db/src/generated), made with the Prisma CLI, a dev dependency. Install
# scripts are not needed (and @prisma/engines' would download a schema engine the project does not
# use); the root postinstall, which writes the client, is run by hand.
FROM base AS prisma-client
COPY --from=manifests /app ./
COPY prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --ignore-scripts --workspace=@relaycast/db --include-workspace-root=false \
  && npm run db:generate

# The web app's Next.js build.
FROM base AS build
COPY --from=manifests /app ./
COPY prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --ignore-scripts && npm run db:generate
COPY . .
RUN npm run build --workspace=@relaycast/web && rm -rf apps/web/.next/cache

# What every runtime image starts from: the manifests and the TypeScript config.
# `install-app <workspace>` installs one app's production dependencies (no install scripts: the
# Prisma client comes from its own stage).
FROM base AS runtime
ENV NODE_ENV=production
COPY --from=manifests /app ./
RUN printf '#!/bin/sh\nset -e\nnpm ci --omit=dev --ignore-scripts --workspace="$1" --include-workspace-root=false\nnpm cache clean --force\n' \
    > /usr/local/bin/install-app && chmod +x /usr/local/bin/install-app
COPY tsconfig.json ./

FROM runtime AS web
RUN install-app @relaycast/web
# prisma/migrations: the migrate service runs `npm run db:migrate` in this image.
COPY prisma ./prisma
COPY packages ./packages
COPY apps/web ./apps/web
COPY --from=prisma-client /app/packages/db/src/generated ./packages/db/src/generated
# Next.js writes its cache under .next at run time.
COPY --from=build --chown=node:node /app/apps/web/.next ./apps/web/.next
USER node
EXPOSE 3000
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "apps/web/src/server.ts"]

FROM runtime AS chat
RUN install-app @relaycast/chat-gateway
COPY packages ./packages
COPY apps/chat ./apps/chat
COPY --from=prisma-client /app/packages/db/src/generated ./packages/db/src/generated
USER node
EXPOSE 3001
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "apps/chat/src/main.ts"]

# A media node (MEDIA_ROLE origin or edge), with ffmpeg for HLS, thumbnails and the archive.
FROM runtime AS media
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg \
  && rm -rf /var/lib/apt/lists/*
RUN install-app @relaycast/media-node
COPY packages ./packages
COPY apps/media ./apps/media
COPY --from=prisma-client /app/packages/db/src/generated ./packages/db/src/generated
# DATA_DIR (HLS, thumbnails) and MEDIA_ARCHIVE_DIR. A new named volume mounted on one of them
# starts as a copy of the folder here, so it belongs to the node user too.
RUN mkdir /data /archive && chown node:node /data /archive
USER node
# RTMP, RTMPS, the relay (origins) and HTTP (FLV, WS-FLV, HLS, thumbnails, VOD, API, probes).
EXPOSE 1935 1936 1940 8000
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "apps/media/src/main.ts"]

# One InspIRCd server of the network, supervised by apps/ircd. It compiles the Relaycast modules
# (infra/inspircd-modules) against InspIRCd's headers with g++ when it starts (reused from DATA_DIR
# while unchanged), and makes a self-signed TLS certificate with openssl when none is given.
FROM runtime AS ircd
RUN apt-get update \
  && apt-get install -y --no-install-recommends inspircd inspircd-dev g++ openssl \
  && rm -rf /var/lib/apt/lists/*
RUN install-app @relaycast/ircd
COPY infra ./infra
COPY packages ./packages
COPY apps/ircd ./apps/ircd
COPY --from=prisma-client /app/packages/db/src/generated ./packages/db/src/generated
# DATA_DIR: rendered config, TLS certificate, compiled modules (a new named volume starts as a copy).
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 6667 6697 6670 7000 6680
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "apps/ircd/src/main.ts"]
