#!/usr/bin/env bash
# The full measurement behind docs/performance.md and the README's performance section: both apps published as
# Azure runs them (linux-x64, ReadyToRun, framework-dependent: the publish settings in their .csproj), then the
# load run against the published folders, which writes docs/performance-results.md and rewrites the README's
# summary block with the figures.
# Usage: TokenFunction.LoadRun/measure.sh [OUT_DIR] [more load-run options...]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/perf}"
shift || true
dotnet publish TokenFunction -c Release -o "$out/app"
dotnet publish TokenFunction.FloorApp -c Release -o "$out/floor"
revision="commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!README.md' ':!docs/performance-results.md' || echo ' with local changes')"
dotnet run -c Release --project TokenFunction.LoadRun -- --app "$out/app" --floor-app "$out/floor" --runs 3 \
    --out docs/performance-results.md --readme README.md --revision "$revision" "$@"
