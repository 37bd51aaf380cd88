#!/usr/bin/env bash
# Compares Elbe with HAProxy and a bare YARP forwarder in one run, against one shared backend.
# Usage: bench/run.sh      (env: DURATION=10 WARMUP=3 ROUNDS=2, SKIP_BUILD=1 to reuse bench/out,
#                          REPORT=FILE instead of bench/results/latest.md)
# Writes the tables to stdout and to bench/results/latest.md; raw wrk output goes to bench/logs/.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"
LOGS="$BENCH/logs"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
# Every proxy is measured once per round, rounds interleaved, and the best round counts: other work on this
# shared machine (builds, tests) slows whichever proxy happens to run alongside it.
ROUNDS="${ROUNDS:-2}"

BACKEND_ADDR=127.0.0.1:9101
ELBE_URL=http://127.1.1.4:8090/          # node 1 of the ALB in bench/elbe.yaml
HAPROXY_URL=http://127.0.0.1:8091/
YARP_URL=http://127.0.0.1:8092/
YARP_LOG_URL=http://127.0.0.1:8093/

# The scenarios, in run order. keepalive-c32 is the headline; keepalive-c256 shows how each proxy copes with
# many concurrent connections on one core; close-c32 makes every request a new client connection (accept and
# teardown per request) while the proxies keep reusing their backend connections.
SCENARIOS=(keepalive-c32 keepalive-c256 close-c32)

# Sets WRK_ARGS for a scenario (an array, so a header value keeps its space: wrk ignores "Connection:close").
scenario_args() {
    case $1 in
        keepalive-c32)  WRK_ARGS=(-t1 -c32) ;;
        keepalive-c256) WRK_ARGS=(-t1 -c256) ;;
        close-c32)      WRK_ARGS=(-t1 -c32 -H "Connection: close") ;;
        *) echo "run.sh: unknown scenario $1" >&2; exit 1 ;;
    esac
}

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------------------
if ! command -v haproxy >/dev/null || ! command -v wrk >/dev/null; then
    log "installing haproxy and wrk"
    apt-get update -qq && apt-get install -y -qq haproxy wrk >/dev/null
fi
# The Debian package starts a system haproxy; it listens on nothing we use, so it is left alone.

# --- CPU layout --------------------------------------------------------------------------------------------
# The proxy under test gets a core of its own; wrk and the backend share the other. Pinning makes runs
# comparable (no proxy can borrow wrk's core), and the backend-direct run on wrk's core measures the ceiling
# that layout imposes on every proxy.
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    PIN_LOAD="taskset -c 0"; PIN_PROXY="taskset -c 1"; PIN_BACKEND="taskset -c 0"
    LAYOUT="pinned with taskset: wrk and backend on CPU 0, the proxy under test on CPU 1"
else
    PIN_LOAD=""; PIN_PROXY=""; PIN_BACKEND=""
    LAYOUT="NOT pinned (taskset missing or fewer than 2 CPUs): numbers are noisier"
fi

# --- build -------------------------------------------------------------------------------------------------
if [ -z "${SKIP_BUILD:-}" ]; then
    log "building Elbe, the backend and the YARP baseline (Release)"
    dotnet publish "$REPO/src/Elbe" -c Release -o "$OUT/elbe" --nologo -v quiet
    dotnet publish "$BENCH/Backend" -c Release -o "$OUT/backend" --nologo -v quiet
    dotnet publish "$BENCH/YarpBaseline" -c Release -o "$OUT/yarp" --nologo -v quiet
fi

# --- process handling --------------------------------------------------------------------------------------
mkdir -p "$LOGS" "$BENCH/results"
PIDS=()

# Stops one process we started: TERM, then KILL if it has not gone within 5 s (elbe serve does not always
# exit promptly on TERM).
stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() { for pid in "${PIDS[@]}"; do stop_pid "$pid"; done; }
trap cleanup EXIT

# Fails early when something else already listens where we want to.
require_free() {
    local host=${1%:*} port=${1##*:}
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
        echo "run.sh: $1 is already in use; stop whatever listens there first" >&2
        exit 1
    fi
}

wait_for_200() {
    for _ in $(seq 100); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
        sleep 0.1
    done
    echo "run.sh: $1 never answered 200; see $LOGS" >&2
    exit 1
}

# A proxy's stdout can grow by megabytes per second (Elbe logs each request); keep only the tail.
trim_log() { [ -f "$1" ] && tail -n 200 "$1" > "$1.tail" && mv "$1.tail" "$1"; }

RESULTS="$LOGS/results.tsv"
SCENARIO_LIST="$LOGS/scenarios.tsv"
: > "$RESULTS"
: > "$SCENARIO_LIST"
for scenario in "${SCENARIOS[@]}"; do
    scenario_args "$scenario"
    shown=""
    for arg in "${WRK_ARGS[@]}"; do [[ $arg == *" "* ]] && arg="'$arg'"; shown+="$arg "; done
    # The ceiling a proxy works under: the backend direct, except that proxies keep their backend connections
    # alive whatever the client does, so for close-* it is the backend under keep-alive.
    ceiling=$scenario; [[ $scenario == close-* ]] && ceiling=keepalive-${scenario#close-}
    printf '%s\t%s-d%ss\t%s\n' "$scenario" "$shown" "$DURATION" "$ceiling" >> "$SCENARIO_LIST"
done

# Warms the target up, then measures every scenario against it and appends to results.tsv.
measure() {
    local name=$1 url=$2 scenario
    for scenario in "${SCENARIOS[@]}"; do
        scenario_args "$scenario"
        $PIN_LOAD wrk "${WRK_ARGS[@]}" -d"${WARMUP}s" "$url" > /dev/null
        $PIN_LOAD wrk "${WRK_ARGS[@]}" -d"${DURATION}s" --latency "$url" > "$LOGS/$name.$scenario.round$round.wrk"
        printf '%s\t%s\t%s\n' "$scenario" "$name" "$(awk -f "$BENCH/wrk-summary.awk" "$LOGS/$name.$scenario.round$round.wrk")" | tee -a "$RESULTS" >&2
    done
}

# Starts a proxy pinned to its core, measures it, stops it.
run_proxy() {
    local name=$1 url=$2 listen=$3; shift 3
    require_free "$listen"
    log "$name"
    $PIN_PROXY "$@" > "$LOGS/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    wait_for_200 "$url"
    measure "$name" "$url"
    stop_pid "$pid"
    trim_log "$LOGS/$name.log"
}

# --- backend -----------------------------------------------------------------------------------------------
require_free "$BACKEND_ADDR"
log "backend on $BACKEND_ADDR"
$PIN_BACKEND "$OUT/backend/bench-backend" "$BACKEND_ADDR" > "$LOGS/backend.log" 2>&1 &
BACKEND_PID=$!
PIDS+=("$BACKEND_PID")
wait_for_200 "http://$BACKEND_ADDR/"

for round in $(seq "$ROUNDS"); do
    log "round $round of $ROUNDS"
    # The backend must not be what limits the proxies: measure it on wrk's core (the ceiling every proxied run
    # lives under) and, in the first round, moved for a moment to a core of its own.
    measure backend-shared "http://$BACKEND_ADDR/"
    if [ -n "$PIN_BACKEND" ] && [ "$round" = 1 ]; then
        taskset -a -p -c 1 "$BACKEND_PID" > /dev/null
        measure backend-own "http://$BACKEND_ADDR/"
        taskset -a -p -c 0 "$BACKEND_PID" > /dev/null
    fi

    # Elbe runs from bench/ so the template path is relative, as a user would give it.
    run_proxy elbe "$ELBE_URL" 127.1.1.4:8090 \
        bash -c "cd '$BENCH' && exec '$OUT/elbe/elbe' serve --config elbe.yaml --data '$LOGS/elbe-data' --api 127.0.0.1:4599"
    run_proxy haproxy "$HAPROXY_URL" 127.0.0.1:8091 \
        haproxy -db -f "$BENCH/haproxy.cfg"
    run_proxy yarp "$YARP_URL" 127.0.0.1:8092 \
        "$OUT/yarp/yarp-baseline" 127.0.0.1:8092 "http://$BACKEND_ADDR"
    run_proxy yarp-log "$YARP_LOG_URL" 127.0.0.1:8093 \
        "$OUT/yarp/yarp-baseline" 127.0.0.1:8093 "http://$BACKEND_ADDR" --log-forwarder

done

# --- report ------------------------------------------------------------------------------------------------
REPORT="${REPORT:-$BENCH/results/latest.md}"   # a quick check can write elsewhere
{
    echo "# Elbe benchmark: latest run"
    echo
    echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), Elbe commit $(git -C "$REPO" rev-parse --short HEAD)"
    echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "- CPU layout: $LAYOUT"
    echo "- each measurement: ${WARMUP} s warm-up, then ${DURATION} s measured; best of $ROUNDS interleaved rounds; one backend (Kestrel, 13-byte body)"
    echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine disturbs runs)"
    echo "- $(haproxy -v | head -1 | cut -d' ' -f1-3) with nbthread 1; $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); .NET SDK $(dotnet --version)"
    echo
    awk -f "$BENCH/results-table.awk" "$SCENARIO_LIST" "$RESULTS"
} > "$REPORT"
cat "$REPORT"
