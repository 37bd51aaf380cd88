#!/usr/bin/env bash
# Runs every benchmark scenario side by side through Elbe, HAProxy, nginx and a stock YARP proxy, all forwarding
# to the same nginx targets, and writes the table to bench/RESULTS.md (see bench/README.md).
#
# usage: bench/run.sh [--quick] [--scenarios a,b,...] [--proxies elbe,haproxy,nginx,yarp] [--report FILE]
#                     [--skip-build] [--elbe-dll PATH] [--report-only]
#   --quick       1 s per run, no warm-up, one round, 200 idle connections: proves the harness works
#   --scenarios   a subset, by name (default: all; the names are listed in SCENARIOS below)
#   --proxies     a subset (default: all four)
#   --report      where the markdown goes (default bench/RESULTS.md; --quick defaults to bench/logs/quick.md)
#   --skip-build  reuse bench/out from the last run
#   --elbe-dll    run this already built elbe.dll with `dotnet` instead of publishing src/Elbe
#   --report-only render the report again from the last run's results (bench/logs)
# env: DURATION (s, default 5), WARMUP (s, default 3), WARMUP_FIRST (s, default 15: round 1's warm-up per scenario),
#      ROUNDS (default 3), IDLE_CONNECTIONS (default 8000),
#      BENCH_RUN_DIR (scratch directory, default bench/logs), BENCH_LOOPBACK_OCTET (N below, default 1)
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"
RUN="${BENCH_RUN_DIR:-$BENCH/logs}"     # scratch, emptied at the start of every run

QUICK=""; REPORT_ONLY=""; ONLY_SCENARIOS=""; PROXIES="elbe haproxy nginx yarp"; REPORT=""; SKIP_BUILD="${SKIP_BUILD:-}"; ELBE_DLL=""
while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1 ;;
        --scenarios) ONLY_SCENARIOS="${2//,/ }"; shift ;;
        --proxies) PROXIES="${2//,/ }"; shift ;;
        --report) REPORT="$2"; shift ;;
        --skip-build) SKIP_BUILD=1 ;;
        --report-only) REPORT_ONLY=1 ;;
        --elbe-dll) ELBE_DLL="$2"; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -n "$QUICK" ]; then
    DURATION="${DURATION:-1}"; WARMUP="${WARMUP:-0}"; WARMUP_FIRST="${WARMUP_FIRST:-0}"; ROUNDS="${ROUNDS:-1}"; IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-200}"
    REPORT="${REPORT:-$RUN/quick.md}"
fi
DURATION="${DURATION:-5}"; WARMUP="${WARMUP:-3}"; ROUNDS="${ROUNDS:-3}"; IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-8000}"
WARMUP_FIRST="${WARMUP_FIRST:-15}"
REPORT="${REPORT:-$BENCH/RESULTS.md}"
# Elbe and the targets live in 127.N.0.0/16: targets on 127.N.1.200, Elbe's nodes from 127.N.1.4 (its subnets
# mapped there by a server config), its API on 127.N.0.10. Another N lets a second run (the smoke test of another
# checkout's test suite) go on beside this one. HAProxy, nginx and YARP listen on 127.0.0.1 (full runs only).
OCTET="${BENCH_LOOPBACK_OCTET:-1}"
TARGET="127.$OCTET.1.200"
ELBE_API="127.$OCTET.0.10:4599"

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
note() { printf '%s\n' "$*" >&2; printf '%s\n' "$*" >> "$RUN/notes.txt"; }
RESULTS="$RUN/results.tsv"      # scenario proxy round value p50 p99 errors cpu_s peak_rss_kib
SCENARIO_LIST="$RUN/scenarios.tsv"

# --- report ----------------------------------------------------------------------------------------------------
# Renders the table from the scratch directory's results (also alone: --report-only, after a run was cut short).
write_report() {
    {
        echo "# Elbe benchmark results"
        echo
        echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), Elbe commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet || echo ' (with uncommitted changes)')"
        echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); load generator, targets and proxies all on it, unpinned"
        echo "- each run: ${WARMUP} s warm-up (${WARMUP_FIRST:-$WARMUP} s in a scenario's first round), ${DURATION} s measured; $ROUNDS alternating round(s) (A B C D A B C D), best round shown; idle connections: $IDLE_CONNECTIONS"
        echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows runs down)"
        echo "- $(haproxy -v | head -1 | cut -d' ' -f1-3) nbthread 2; $(nginx -v 2>&1 | cut -d' ' -f3) 2 workers; stock YARP 2.3 (StockYarp/); targets nginx 2 workers; $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); .NET SDK $(dotnet --version)"
        echo
        awk -v duration="$DURATION" -f "$BENCH/report/results-table.awk" "$SCENARIO_LIST" "$RESULTS"
        if [ -s "$RUN/notes.txt" ]; then
            echo "### Notes from this run"
            echo
            sed 's/^/- /' "$RUN/notes.txt"
            echo
        fi
    } > "$REPORT.table"
    if [ "$REPORT" = "$BENCH/RESULTS.md" ] && [ -f "$REPORT" ] && grep -q '^<!-- table -->' "$REPORT"; then
        # RESULTS.md keeps its hand-written analysis below the generated table.
        { cat "$REPORT.table"; echo '<!-- table -->'; sed -n '/^<!-- table -->/,$p' "$REPORT" | tail -n +2; } > "$REPORT.new"
        mv "$REPORT.new" "$REPORT"; rm "$REPORT.table"
    else
        mv "$REPORT.table" "$REPORT"
    fi
    sed -n '1,/^<!-- table -->/p' "$REPORT" | grep -v '^<!-- table -->'
    # Elbe must show no errors in any scenario: the exit status says whether it did.
    awk -F'\t' '$2 == "elbe" && $7 > 0 { bad = 1 } END { exit bad }' "$RESULTS" \
        || { echo "run.sh: Elbe had errors in some scenario (see the errors column)" >&2; exit 3; }
}

if [ -n "$REPORT_ONLY" ]; then
    # A run from before WARMUP_FIRST warmed every round alike.
    unset WARMUP_FIRST
    # shellcheck disable=SC1091
    source "$RUN/settings.sh"
    write_report
    exit
fi

# --- scenarios -----------------------------------------------------------------------------------------------
# name | listener family | load generator and its arguments | request path | what Elbe needs for it
# Families: plain (default forward), rules (10 path + 2 host rules, none matching), sticky (lb_cookie),
# https (TLS, HTTP/1.1 and h2), tcp and udp (NLB). "idle" holds IDLE_CONNECTIONS connections open instead (on
# the tcp family: relayed flows, each past one request, so the proxy holds a client and a target socket each).
SCENARIOS=(
    "keepalive|plain|wrk -t2 -c64|/|http"
    "rules-10path-2host|rules|wrk -t2 -c64|/static/app.js|http"
    "new-connection|plain|wrk -t2 -c64 -H Connection:_close|/|http"
    "response-64k|plain|wrk -t2 -c32|/64k|http"
    "post-1m|plain|wrk -t2 -c16 -s @BENCH@/load/post-1m.lua|/upload|http"
    "sticky-lb-cookie|sticky|wrk -t2 -c64 -s @BENCH@/load/sticky.lua|/|http"
    "https-keepalive|https|wrk -t2 -c64|/|tls"
    "https-handshake|https|wrk -t2 -c32 -H Connection:_close|/|tls"
    "http2|https|h2load -t2 -c64 -m5|/|tls"
    "tcp-connections|tcp|wrk -t2 -c64 -H Connection:_close|/|nlb"
    "tcp-keepalive|tcp|wrk -t2 -c64|/|nlb"
    "tcp-bulk|tcp|wrk -t2 -c4|/16m|nlb"
    "udp-datagrams|udp|udp 64|/|nlb-udp"
    "idle-connections|plain|idle|/|http"
    "tcp-idle-flows|tcp|idle|/|nlb"
)
scenario_selected() { [ -z "$ONLY_SCENARIOS" ] || [[ " $ONLY_SCENARIOS " == *" $1 "* ]]; }
for wanted in $ONLY_SCENARIOS; do
    printf '%s\n' "${SCENARIOS[@]}" | cut -d'|' -f1 | grep -qx "$wanted" || { echo "run.sh: no scenario $wanted" >&2; exit 2; }
done

# --- where each proxy listens --------------------------------------------------------------------------------
# Each proxy has one port per family: base + 0 plain, 1 rules, 2 sticky, 3 https, 4 tcp, 5 udp.
# Elbe's ALB node is 127.N.1.4 (first node of conf/elbe.yaml's ALB); its NLB node comes from the API.
declare -A HOST=([elbe]=127.$OCTET.1.4 [haproxy]=127.0.0.1 [nginx]=127.0.0.1 [yarp]=127.0.0.1)
declare -A BASE=([elbe]=8080 [haproxy]=8180 [nginx]=8280 [yarp]=8380)
declare -A OFFSET=([plain]=0 [rules]=1 [sticky]=2 [https]=3 [tcp]=4 [udp]=5)
declare -A LABEL=([elbe]="**Elbe**" [haproxy]="HAProxy 2 threads" [nginx]="nginx 2 workers" [yarp]="stock YARP")
# What each proxy can do at all; Elbe's list grows as run.sh finds its HTTPS and NLB listeners working.
declare -A CAN=([elbe]="http" [haproxy]="http tls nlb" [nginx]="http tls" [yarp]="http tls")
ELBE_NLB_HOST=""
endpoint() { # proxy family -> host:port
    local host=${HOST[$1]}
    [ "$1" = elbe ] && { [ "$2" = tcp ] || [ "$2" = udp ]; } && host=$ELBE_NLB_HOST
    echo "$host:$(( ${BASE[$1]} + ${OFFSET[$2]} ))"
}

# --- tools -----------------------------------------------------------------------------------------------------
missing=()
tools="nginx:nginx wrk:wrk openssl:openssl curl:curl"
[[ " $PROXIES " != *" haproxy "* ]] || tools+=" haproxy:haproxy"
scenario_selected http2 && tools+=" h2load:nghttp2-client"
for tool in $tools; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
NGINX_STREAM=/usr/lib/nginx/modules/ngx_stream_module.so
if [ -z "$ONLY_SCENARIOS" ] || [[ " $ONLY_SCENARIOS " == *" tcp-"* ]] || scenario_selected udp-datagrams; then
    [ -f "$NGINX_STREAM" ] || missing+=(libnginx-mod-stream)
fi
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -f "$NGINX_STREAM" ] && CAN[nginx]+=" nlb nlb-udp"
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# --- build -----------------------------------------------------------------------------------------------------
if [ -z "$SKIP_BUILD" ]; then
    log "building Elbe and the stock YARP proxy (Release)"
    [ -n "$ELBE_DLL" ] || dotnet publish "$REPO/src/Elbe" -c Release -o "$OUT/elbe" --nologo -v quiet
    [[ " $PROXIES " != *" yarp "* ]] || dotnet publish "$BENCH/StockYarp" -c Release -o "$OUT/yarp" --nologo -v quiet
fi
ELBE_CMD=("$OUT/elbe/elbe")
[ -n "$ELBE_DLL" ] && ELBE_CMD=(dotnet "$ELBE_DLL")

# --- scratch directory, targets' files, certificate ------------------------------------------------------------
rm -rf "$RUN"
mkdir -p "$RUN"/{target/body,nginx-proxy/body,nginx-proxy/proxy,www,tls,elbe-data,wrk}
: > "$RUN/notes.txt"
head -c 65536 /dev/zero | tr '\0' 'x' > "$RUN/www/64k"
head -c 16777216 /dev/zero | tr '\0' 'x' > "$RUN/www/16m"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench.elbe.test \
    -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" 2>/dev/null
cat "$RUN/tls/cert.pem" "$RUN/tls/key.pem" > "$RUN/tls/haproxy.pem"
render() { sed -e "s|@RUN@|$RUN|g" -e "s|@BENCH@|$BENCH|g" -e "s|@TARGET@|$TARGET|g" "$1"; }

# --- processes -------------------------------------------------------------------------------------------------
declare -A PID=()
# Stops one process we started: TERM, then KILL if it has not gone within 5 s.
stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() { for pid in "${PID[@]}"; do stop_pid "$pid"; done; }
trap cleanup EXIT

require_free() {
    if (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; then
        echo "run.sh: $1 is already in use; stop whatever listens there first" >&2
        exit 1
    fi
}
# Waits (30 s at most: a cold .NET start on a loaded machine is slow) for URL to answer 200; 1 if it never does.
answers_200() {
    for _ in $(seq 300); do
        [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$1")" = 200 ] && return 0
        sleep 0.1
    done
    return 1
}
# The proxy's processes: the one we started and its children (nginx's workers).
tree_pids() { echo "$1"; ps -o pid= --ppid "$1" 2>/dev/null || true; }
cpu_ticks() { local p; for p in $(tree_pids "$1"); do awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
status_kib() { local p; for p in $(tree_pids "$1"); do awk -v f="$2:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
TICKS=$(getconf CLK_TCK)

declare -A COMMAND=()
start() { # name command... ; output to RUN/name.log
    local name=$1; shift
    COMMAND[$name]=$(printf '%q ' "$@")
    "$@" > "$RUN/$name.log" 2>&1 &
    PID[$name]=$!
}
# Stops a proxy and starts it again with the same command (Elbe keeps its API-made listeners in its data
# directory), then waits until URL answers and sends it a few requests so its code paths are warm.
restart() { # name url
    local name=$1 url=$2
    stop_pid "${PID[$name]}"
    eval "exec ${COMMAND[$name]}" >> "$RUN/$name.log" 2>&1 &
    PID[$name]=$!
    answers_200 "$url" || return 1
    for _ in $(seq 100); do curl -sk -o /dev/null --max-time 2 "$url" || true; done
}

log "targets: nginx on $TARGET:9101 and :9102"
require_free "$TARGET:9101"; require_free "$TARGET:9102"
render "$BENCH/conf/target-nginx.conf" > "$RUN/target/nginx.conf"
if [[ " ${CAN[nginx]} " == *" nlb "* ]]; then
    { echo "load_module $NGINX_STREAM;"; cat "$RUN/target/nginx.conf"; render "$BENCH/conf/target-nginx-stream.conf"; } > "$RUN/target/nginx.conf.new"
    mv "$RUN/target/nginx.conf.new" "$RUN/target/nginx.conf"
fi
start target nginx -p "$RUN/target" -c "$RUN/target/nginx.conf" -g 'daemon off;'
answers_200 "http://$TARGET:9101/" || { echo "run.sh: the nginx target did not start; see $RUN/target.log" >&2; exit 1; }

for proxy in $PROXIES; do
    for family in plain rules sticky; do require_free "$(endpoint "$proxy" "$family")"; done
    case $proxy in
        elbe)
            log "Elbe ($(basename "${ELBE_CMD[-1]}"), template conf/elbe.yaml)"
            render "$BENCH/conf/elbe.yaml" > "$RUN/elbe.yaml"
            printf 'subnets:\n' > "$RUN/server.yaml"
            for zone in a b c; do
                printf '  - { SubnetId: subnet-0000000000000000%s, AvailabilityZone: us-east-1%s, CidrBlock: 127.%s.%s.0/24 }\n' \
                    "$zone" "$zone" "$OCTET" "$(( $(printf '%d' "'$zone") - 96 ))" >> "$RUN/server.yaml"
            done
            export ELBE_ACCESS_KEY_ID=AKIDBENCHBENCHBENCH0 ELBE_SECRET_ACCESS_KEY=bench-secret-bench-secret-bench-secret0
            start elbe "${ELBE_CMD[@]}" serve --config "$RUN/elbe.yaml" --server-config "$RUN/server.yaml" --data "$RUN/elbe-data" --api "$ELBE_API" ;;
        haproxy)
            log "HAProxy"
            render "$BENCH/conf/haproxy.cfg" > "$RUN/haproxy.cfg"
            start haproxy haproxy -db -f "$RUN/haproxy.cfg" ;;
        nginx)
            log "nginx as a proxy"
            render "$BENCH/conf/nginx-proxy.conf" > "$RUN/nginx-proxy/nginx.conf"
            if [[ " ${CAN[nginx]} " == *" nlb "* ]]; then
                { echo "load_module $NGINX_STREAM;"; cat "$RUN/nginx-proxy/nginx.conf"; render "$BENCH/conf/nginx-proxy-stream.conf"; } > "$RUN/nginx-proxy/nginx.conf.new"
                mv "$RUN/nginx-proxy/nginx.conf.new" "$RUN/nginx-proxy/nginx.conf"
            fi
            start nginx nginx -p "$RUN/nginx-proxy" -c "$RUN/nginx-proxy/nginx.conf" -g 'daemon off;' ;;
        yarp)
            log "stock YARP"
            start yarp "$OUT/yarp/stock-yarp" 127.0.0.1 "${BASE[yarp]}" "$RUN/tls/cert.pem" "$RUN/tls/key.pem" "http://$TARGET:9101" "http://$TARGET:9102" ;;
        *) echo "run.sh: unknown proxy $proxy" >&2; exit 2 ;;
    esac
done
for proxy in $PROXIES; do
    answers_200 "http://$(endpoint "$proxy" plain)/" || { echo "run.sh: $proxy never answered 200; see $RUN/$proxy.log" >&2; exit 1; }
done

# Elbe's HTTPS and NLB listeners are made through its API, as a user would, so that the harness works
# unchanged before and after those features land: whatever the API refuses or does not serve is skipped.
aws_elbe() {
    AWS_ACCESS_KEY_ID=$ELBE_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$ELBE_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1 \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" \
    AWS_MAX_ATTEMPTS=1 aws "$@" --endpoint-url "http://$ELBE_API" --output text 2>> "$RUN/aws.log"
}
needs() { # does some selected scenario need Elbe feature $1?
    local s
    for s in "${SCENARIOS[@]}"; do
        IFS='|' read -r name _ _ _ need <<< "$s"
        scenario_selected "$name" && [ "$need" = "$1" ] && return 0
    done
    return 1
}
if [[ " $PROXIES " == *" elbe "* ]] && needs tls; then
    log "Elbe: HTTPS listener through the API"
    alb=$(aws_elbe elbv2 describe-load-balancers --names bench-alb --query 'LoadBalancers[0].LoadBalancerArn' || true)
    tg=$(aws_elbe elbv2 describe-target-groups --names bench-targets --query 'TargetGroups[0].TargetGroupArn' || true)
    cert=$(aws_elbe acm import-certificate --certificate "fileb://$RUN/tls/cert.pem" --private-key "fileb://$RUN/tls/key.pem" --query CertificateArn || true)
    if [ -n "$cert" ] && aws_elbe elbv2 create-listener --load-balancer-arn "$alb" --protocol HTTPS --port "$(( BASE[elbe] + OFFSET[https] ))" \
            --certificates "CertificateArn=$cert" --default-actions "Type=forward,TargetGroupArn=$tg" > /dev/null \
        && answers_200 "https://$(endpoint elbe https)/"; then
        CAN[elbe]+=" tls"
    else
        note "Elbe serves no HTTPS yet (import-certificate or create-listener --protocol HTTPS failed or did not answer; see logs/aws.log): HTTPS and HTTP/2 scenarios skipped."
    fi
fi
if [[ " $PROXIES " == *" elbe "* ]] && { needs nlb || needs nlb-udp; }; then
    log "Elbe: NLB with TCP and UDP listeners through the API"
    vpc=$(aws_elbe elbv2 describe-target-groups --names bench-targets --query 'TargetGroups[0].VpcId' || true)
    nlb=$(aws_elbe elbv2 create-load-balancer --name bench-nlb --type network --scheme internal --subnets subnet-0000000000000000a \
        --query 'LoadBalancers[0].LoadBalancerArn' || true)
    ELBE_NLB_HOST=$(aws_elbe elbv2 describe-load-balancers --names bench-nlb \
        --query 'LoadBalancers[0].AvailabilityZones[0].LoadBalancerAddresses[0].IpAddress' || true)
    tcp_tg=$(aws_elbe elbv2 create-target-group --name bench-tcp --protocol TCP --port 9101 --target-type ip --vpc-id "$vpc" \
        --query 'TargetGroups[0].TargetGroupArn' || true)
    if [ -n "$nlb" ] && [ -n "$ELBE_NLB_HOST" ] && [ "$ELBE_NLB_HOST" != None ] && [ -n "$tcp_tg" ] \
        && aws_elbe elbv2 register-targets --target-group-arn "$tcp_tg" --targets "Id=$TARGET,Port=9101" "Id=$TARGET,Port=9102" \
        && aws_elbe elbv2 create-listener --load-balancer-arn "$nlb" --protocol TCP --port "$(( BASE[elbe] + OFFSET[tcp] ))" \
            --default-actions "Type=forward,TargetGroupArn=$tcp_tg" > /dev/null \
        && answers_200 "http://$(endpoint elbe tcp)/"; then
        CAN[elbe]+=" nlb"
        udp_tg=$(aws_elbe elbv2 create-target-group --name bench-udp --protocol UDP --port 9103 --target-type ip --vpc-id "$vpc" \
            --health-check-protocol HTTP --health-check-port 9101 --query 'TargetGroups[0].TargetGroupArn' || true)
        if [ -n "$udp_tg" ] && aws_elbe elbv2 register-targets --target-group-arn "$udp_tg" --targets "Id=$TARGET,Port=9103" \
            && aws_elbe elbv2 create-listener --load-balancer-arn "$nlb" --protocol UDP --port "$(( BASE[elbe] + OFFSET[udp] ))" \
                --default-actions "Type=forward,TargetGroupArn=$udp_tg" > /dev/null; then
            CAN[elbe]+=" nlb-udp"
        else
            note "Elbe's NLB has no UDP listener (see logs/aws.log): the UDP scenario is skipped."
        fi
    else
        note "Elbe has no NLB yet (create-load-balancer --type network or its TCP listener failed or did not answer; see logs/aws.log): TCP and UDP scenarios skipped."
    fi
fi

# --- measuring -------------------------------------------------------------------------------------------------
: > "$RESULTS"; : > "$SCENARIO_LIST"
printf 'DURATION=%s WARMUP=%s WARMUP_FIRST=%s ROUNDS=%s IDLE_CONNECTIONS=%s\n' "$DURATION" "$WARMUP" "$WARMUP_FIRST" "$ROUNDS" "$IDLE_CONNECTIONS" > "$RUN/settings.sh"

# Runs the load generator once against proxy's family endpoint; prints the wrk-summary line.
drive() { # proxy family tool path seconds output
    local proxy=$1 family=$2 tool=$3 path=$4 seconds=$5 out=$6 target scheme=http
    [ "$family" = https ] && scheme=https
    target="$scheme://$(endpoint "$proxy" "$family")$path"
    read -r -a words <<< "${tool//@BENCH@/$BENCH}"
    local args=() w
    for w in "${words[@]:1}"; do args+=("${w/Connection:_/Connection: }"); done
    case ${words[0]} in
        wrk)    wrk "${args[@]}" -d"${seconds}s" --timeout 10s --latency "$target" > "$out" 2>&1 || true
                awk -f "$BENCH/report/wrk-summary.awk" "$out" ;;
        h2load) h2load "${args[@]}" -D "$seconds" "$target" > "$out" 2>&1 || true
                awk -f "$BENCH/report/h2load-summary.awk" "$out" ;;
        udp)    python3 "$BENCH/load/udp_datagrams.py" "$(endpoint "$proxy" "$family")" "${args[0]}" "$seconds" > "$out" 2>&1 || true
                tail -n 1 "$out" ;;
    esac
}

# One measured run: load for DURATION seconds, with the proxy's CPU time and peak memory around it.
measure() { # scenario family tool path proxy round
    local scenario=$1 family=$2 tool=$3 path=$4 proxy=$5 round=$6 pid=${PID[$5]} before after line
    # A scenario's first round warms longer: its paths are new to the proxy, and a .NET proxy's tiered compiler
    # needs 15-20 s of them, competing for the same two cores, before it runs at its steady speed (RESULTS.md).
    local warmup=$WARMUP; [ "$round" = 1 ] && warmup=$WARMUP_FIRST
    [ "$warmup" -gt 0 ] && drive "$proxy" "$family" "$tool" "$path" "$warmup" /dev/null > /dev/null
    before=$(cpu_ticks "$pid")
    line=$(drive "$proxy" "$family" "$tool" "$path" "$DURATION" "$RUN/wrk/$scenario.$proxy.$round.out")
    after=$(cpu_ticks "$pid")
    IFS=$'\t' read -r rps p50 p99 errors transfer <<< "$line"
    local value=$rps; [ "$scenario" = tcp-bulk ] && value=$transfer
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%s\n' "$scenario" "$proxy" "$round" "$value" "$p50" "$p99" "$errors" \
        "$(awk -v a="$after" -v b="$before" -v t="$TICKS" 'BEGIN { print (a - b) / t }')" "$(status_kib "$pid" VmHWM)" | tee -a "$RESULTS" >&2
}

# Idle connections: resident memory growth divided by the connections held, read while they are held. The
# clients live in their own process (python), the targets in nginx: the proxy's open-file limit (20,000) only
# has to cover its own two sockets per flow.
measure_idle() { # scenario family proxy round
    local scenario=$1 family=$2 proxy=$3 round=$4 pid before after opened failed
    local endpoint; endpoint=$(endpoint "$proxy" "$family")
    # A fresh process: what earlier scenarios left in a managed heap (and what a collection frees meanwhile)
    # would otherwise swamp the growth being measured, even turn it negative.
    restart "$proxy" "http://$endpoint/" || { echo "run.sh: $proxy did not come back for $scenario; see $RUN/$proxy.log" >&2; exit 1; }
    pid=${PID[$proxy]}
    before=$(status_kib "$pid" VmRSS)
    coproc IDLE { python3 "$BENCH/load/idle_connections.py" "${endpoint%:*}" "${endpoint##*:}" "$IDLE_CONNECTIONS" 2>> "$RUN/$scenario.$proxy.log"; }
    opened=0; failed=$IDLE_CONNECTIONS
    read -r _ opened failed <&"${IDLE[0]}" || true
    sleep 1
    after=$(status_kib "$pid" VmRSS)
    eval "exec ${IDLE[1]}>&-"
    wait "$IDLE_PID" 2>/dev/null || true
    printf '%s\t%s\t%s\t%.2f\t\t\t%s\t\t%s\n' "$scenario" "$proxy" "$round" \
        "$(awk -v a="$after" -v b="$before" -v n="$opened" 'BEGIN { print (n > 0 ? (a - b) / n : 0) }')" "$failed" "$after" | tee -a "$RESULTS" >&2
}

for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r scenario family tool path need <<< "$entry"
    scenario_selected "$scenario" || continue
    shown="${tool//@BENCH@\/load\//}"; shown="${shown/Connection:_close/\"Connection: close\"}"
    [ "$tool" = idle ] && shown="$IDLE_CONNECTIONS idle keep-alive connections (load/idle_connections.py)"
    [ "$tool" = idle ] && [ "$family" = tcp ] && shown="$IDLE_CONNECTIONS idle TCP flows, each past one request (load/idle_connections.py)"
    [[ $tool == udp* ]] && shown="load/udp_datagrams.py, ${tool#udp } datagrams in flight"
    [ "$tool" != idle ] && [[ $tool != udp* ]] && shown="$shown -d${DURATION}s $path"
    printf '%s\t%s\t%s\n' "$scenario" "$shown" "$family" >> "$SCENARIO_LIST"
    if [[ " ${CAN[elbe]} " != *" $need "* ]] && [[ " $PROXIES " == *" elbe "* ]]; then
        note "SKIP $scenario: Elbe does not support it yet (needs $need)."
        continue
    fi
    log "$scenario: $shown"
    # Alternating runs, A B C D A B C D: drift on this shared machine hits every proxy alike.
    # Idle connections run once: a second round would find the memory the first one grew still held.
    rounds=$ROUNDS; [ "$tool" = idle ] && rounds=1
    for round in $(seq "$rounds"); do
        for proxy in $PROXIES; do
            if [[ " ${CAN[$proxy]} " != *" $need "* ]]; then
                [ "$round" = 1 ] && note "$scenario: ${LABEL[$proxy]} has no equivalent (needs $need); not run."
                continue
            fi
            if [ "$tool" = idle ]; then measure_idle "$scenario" "$family" "$proxy" "$round"
            else measure "$scenario" "$family" "$tool" "$path" "$proxy" "$round"; fi
        done
    done
done

write_report
