# Turns h2load output into the same line as wrk-summary.awk: requests/s, mean ms (h2load has no percentiles,
# so the mean stands in the p50 column), max ms in the p99 column, errors (failed + errored + timed out), MB/s.
function ms(text,    value, unit) {
    value = text + 0
    unit = text
    sub(/^[0-9.]+/, "", unit)
    if (unit == "us") return value / 1000
    if (unit == "s") return value * 1000
    return value
}
/^finished in/       { rps = $4 + 0; transfer = $6 + 0; if ($6 ~ /KB/) transfer /= 1024; if ($6 ~ /GB/) transfer *= 1024 }
/^requests:/         { errors = $10 + $12 + $14 }
/^time for request:/ { mean = ms($6); max = ms($5) }
END { printf "%.0f\t%.2f\t%.2f\t%d\t%.1f\n", rps, mean, max, errors, transfer }
