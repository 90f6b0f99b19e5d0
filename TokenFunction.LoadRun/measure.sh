#!/usr/bin/env bash
# The full measurement behind docs/performance.md and the README's performance section: both apps published as
# Azure runs them (linux-x64, ReadyToRun, framework-dependent: the publish settings in their .csproj), then the
# load run against the published folders (every subject: the floor app, TokenFunction in local and vault mode, each
# also exporting its telemetry, and VideoSDK's Node example token server; 5 fresh workers each), which writes
# docs/performance-results.md and rewrites the README's summary block with the figures.
# The figures mean something only on a quiet machine: it refuses to start while the 1-minute load average is 1.5 or
# more (other builds and tests would be measured with the subjects); MEASURE_ANYWAY=1 runs it regardless.
# Usage: TokenFunction.LoadRun/measure.sh [OUT_DIR] [more load-run options...]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/perf}"
shift || true
load=$(cut -d ' ' -f 1 /proc/loadavg)
if [ "${MEASURE_ANYWAY:-0}" != 1 ] && awk -v load="$load" 'BEGIN { exit !(load >= 1.5) }'; then
    echo "The 1-minute load average is $load: other work would be measured with the subjects. Wait for a quiet machine (below 1.5), or set MEASURE_ANYWAY=1." >&2
    exit 2
fi
dotnet publish TokenFunction -c Release -o "$out/app"
dotnet publish TokenFunction.FloorApp -c Release -o "$out/floor"
revision="commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!README.md' ':!docs/performance-results.md' || echo ' with local changes')"
dotnet run -c Release --project TokenFunction.LoadRun -- --app "$out/app" --floor-app "$out/floor" --runs 5 \
    --out docs/performance-results.md --readme README.md --revision "$revision" "$@"
