#!/usr/bin/env bash
# Builds the image's /app tree without Docker, as the Dockerfile does: production dependencies only,
# the compiled sources, the CRDs, the catalog and the baseline policies. Then starts the CLI from it.
#   bash scripts/build-production-tree.sh [target folder, default build/image/app]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-build/image/app}"
rm -rf "$target"
mkdir -p "$target"
cp package.json package-lock.json "$target/"
(cd "$target" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
npx tsc -p tsconfig.build.json --outDir "$target/dist"
cp -r crds connectors "$target/"
mkdir -p "$target/config" && cp -r config/policies "$target/config/"
# What the image's ENTRYPOINT runs:
NODE_ENV=production node "$target/dist/cli/main.js" --help
