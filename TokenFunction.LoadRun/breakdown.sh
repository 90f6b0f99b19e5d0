#!/usr/bin/env bash
# Where a warm request's CPU goes, beside the floor app: one warm worker per case behind the host stand-in, the
# load-run client at concurrency 8, each case measured ROUNDS times in turn (floor ping, our health, our token,
# our token without its audit line). Prints a Markdown table of medians (min–max): requests/s, and the CPU the
# worker and the host stand-in spent per measured request (both read from /proc by the client).
# Uses the publishes measure.sh made (OUT_DIR/app, OUT_DIR/floor); run measure.sh first, or publish them yourself.
# Usage: TokenFunction.LoadRun/breakdown.sh [OUT_DIR] [ROUNDS] [REQUESTS] [WARMUP]
# WARMUP (default 50,000) is longer than the load run's 20,000 a level: here each worker serves one level only, and
# after 20,000 requests at concurrency 8 a fresh worker was still spending 132 µs of CPU per token (72 µs after 40,000).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/perf}"
rounds="${2:-3}"
requests="${3:-20000}"
warmup="${4:-50000}"
for dir in "$out/app" "$out/floor"; do
    [ -f "$dir/worker.config.json" ] || { echo "No publish in $dir: run TokenFunction.LoadRun/measure.sh $out first." >&2; exit 1; }
done

dotnet build -c Release TokenFunction.HostStandIn > /dev/null
dotnet build -c Release TokenFunction.LoadRun > /dev/null
standin=TokenFunction.HostStandIn/bin/Release/net10.0/TokenFunction.HostStandIn.dll
client=TokenFunction.LoadRun/bin/Release/net10.0/TokenFunction.LoadRun.dll
work=$(mktemp -d)
standin_pid=
stop_standin() {
    if [ -n "$standin_pid" ]; then kill "$standin_pid" 2> /dev/null || true; wait "$standin_pid" 2> /dev/null || true; fi
    standin_pid=
}
trap 'stop_standin; rm -rf "$work"' EXIT

# measure CASE APP TARGET [NAME=VALUE...]: one fresh worker, the warm-up requests (tiered compilation), then
# the measured requests; appends the client's JSON line to $work/CASE.
measure() {
    local case=$1 app=$2 target=$3
    shift 3
    local settings=(--setting RateLimit__Burst=100000 --setting RateLimit__TokensPerPeriod=100000 --setting RateLimit__ReplenishmentPeriod=00:00:01)
    for pair in "$@"; do settings+=(--setting "$pair"); done
    rm -f "$work/url"
    # Local mode, as in docs/host-stand-in.md: a throwaway secret through the environment, never a command line.
    VideoSdk__ApiSecret="$(openssl rand -hex 32)" dotnet "$standin" --app "$app" --settings local.settings.sample.json \
        --url-file "$work/url" "${settings[@]}" > "$work/standin.log" 2>&1 &
    standin_pid=$!
    for _ in $(seq 300); do [ -s "$work/url" ] && break; sleep 0.1; done
    [ -s "$work/url" ] || { echo "The host stand-in did not start:" >&2; cat "$work/standin.log" >&2; exit 1; }
    local worker
    worker=$(pgrep -P "$standin_pid" | head -1)
    dotnet "$client" client --url "$(cat "$work/url")" --target "$target" --requests "$requests" --warmup "$warmup" \
        --concurrency 8 --worker-pid "$worker" --host-pid "$standin_pid" >> "$work/$case"
    stop_standin
}

for round in $(seq "$rounds"); do
    echo "round $round of $rounds" >&2
    measure floor "$out/floor" ping
    measure health "$out/app" health
    measure token "$out/app" token
    measure token-unaudited "$out/app" token Logging__LogLevel__TokenFunction.Tokens.TokenIssuer=Warning
done

python3 - "$work" << 'PY'
import json, statistics, sys
work = sys.argv[1]
rows = [("floor", "floor app, `POST /api/ping`"), ("health", "TokenFunction, `GET /api/health`"),
        ("token", "TokenFunction, `POST /api/token`"),
        ("token-unaudited", "TokenFunction, `POST /api/token` without the audit line")]
def cell(values, digits=0):
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"
results = {case: [json.loads(line) for line in open(f"{work}/{case}")] for case, _ in rows}
floor_rps = statistics.median(r["RequestsPerSecond"] for r in results["floor"])
print("| case | requests/s | × floor | worker CPU µs/request | host stand-in CPU µs/request | errors |")
print("| --- | --- | --- | --- | --- | --- |")
for case, label in rows:
    runs = results[case]
    rps = [r["RequestsPerSecond"] for r in runs]
    print(f"| {label} | {cell(rps)} | {statistics.median(rps) / floor_rps:.2f} | {cell([r['WorkerCpuUsPerRequest'] for r in runs])} "
          f"| {cell([r['HostCpuUsPerRequest'] for r in runs])} | {sum(r['Errors'] for r in runs)} |")
PY
