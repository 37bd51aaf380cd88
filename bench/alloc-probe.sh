#!/usr/bin/env bash
# Bytes Elbe allocates per forwarded request, per listener of conf/elbe.yaml (AllocationProbe/ hosts Elbe
# in-process; wrk drives it), or with "idle" the live managed heap per held keep-alive connection.
# usage: bench/alloc-probe.sh [SECONDS] [plain|close|rules|sticky]    bench/alloc-probe.sh idle [COUNT]
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="${BENCH_RUN_DIR:-$BENCH/logs}/alloc"
OCTET="${BENCH_LOOPBACK_OCTET:-1}"   # as in run.sh: nodes on 127.N.1.4, targets on 127.N.1.200
TARGET="127.$OCTET.1.200"
SECONDS_RUN="${1:-5}"
MODE="${2:-rules}"
[ "$SECONDS_RUN" = idle ] && MODE=plain
case "$MODE" in
    plain) URL=http://127.$OCTET.1.4:8080/; EXTRA=() ;;
    close) URL=http://127.$OCTET.1.4:8080/; EXTRA=(-H "Connection: close") ;;
    rules) URL=http://127.$OCTET.1.4:8081/static/app.js; EXTRA=() ;;
    sticky) URL=http://127.$OCTET.1.4:8082/; EXTRA=(-s "$BENCH/load/sticky.lua") ;;
    *) echo "alloc-probe.sh: plain, close, rules or sticky" >&2; exit 2 ;;
esac
rm -rf "$RUN"; mkdir -p "$RUN"/{target/body,www}
sed -e "s|@RUN@|$RUN|g" -e "s|@TARGET@|$TARGET|g" "$BENCH/conf/target-nginx.conf" > "$RUN/target/nginx.conf"
sed -e "s|@TARGET@|$TARGET|g" "$BENCH/conf/elbe.yaml" > "$RUN/elbe.yaml"
nginx -p "$RUN/target" -c "$RUN/target/nginx.conf" -g 'daemon off;' > "$RUN/target.log" 2>&1 &
TARGET_PID=$!
trap 'kill -TERM $TARGET_PID 2>/dev/null || true' EXIT
dotnet publish "$BENCH/AllocationProbe" -c Release -o "$BENCH/out/probe" --nologo -v quiet
if [ "$SECONDS_RUN" = idle ]; then
    ulimit -n 20000 2>/dev/null || true
    "$BENCH/out/probe/allocation-probe" "$RUN/elbe.yaml" "$URL" idle "${2:-8000}" "$BENCH/load/idle_connections.py"
else
    "$BENCH/out/probe/allocation-probe" "$RUN/elbe.yaml" "$URL" "$SECONDS_RUN" -t2 -c64 "${EXTRA[@]}"
fi
