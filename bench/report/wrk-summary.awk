# Turns `wrk --latency` output into one tab-separated line: requests/s, p50 ms, p99 ms, errors, MB/s.
# errors counts socket errors plus non-2xx/3xx responses; a run with errors is not a fair number.
function ms(text,    value, unit) {
    value = text + 0
    unit = text
    sub(/^[0-9.]+/, "", unit)
    if (unit == "us") return value / 1000
    if (unit == "s") return value * 1000
    if (unit == "m") return value * 60000
    return value
}
function mb(text,    value, unit) {
    value = text + 0
    unit = text
    sub(/^[0-9.]+/, "", unit)
    if (unit == "GB") return value * 1024
    if (unit == "KB") return value / 1024
    if (unit == "B") return value / 1048576
    return value
}
/^ +50%/            { p50 = ms($2) }
/^ +99%/            { p99 = ms($2) }
/^Requests\/sec:/   { rps = $2 }
/^Transfer\/sec:/   { transfer = mb($2) }
/Non-2xx or 3xx/    { errors += $NF }
/Socket errors:/    { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
END { printf "%.0f\t%.2f\t%.2f\t%d\t%.1f\n", rps, p50, p99, errors, transfer }
