# One image for every entry point: `switchboard operator | webhook | runtime | apiserver | ...`.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM gcr.io/distroless/nodejs24-debian12:nonroot
LABEL org.opencontainers.image.title="switchboard" \
      org.opencontainers.image.description="Third-party integrations on Kubernetes, as custom resources" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY crds ./crds
COPY connectors ./connectors
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/app/dist/cli/main.js"]
CMD ["--help"]
