# Renders the benchmark's markdown tables from two tab-separated files:
#   scenarios: name, wrk arguments, ceiling scenario (in run order; see run.sh)
#   results:   scenario, proxy, req/s, p50 ms, p99 ms, errors (one line per round)
# Ratios are Elbe divided by the other proxy: for req/s below 1 means Elbe is slower, for latency above 1
# means Elbe is slower. Absolute numbers drift between runs on this machine; the ratios are what we quote.
BEGIN {
    FS = "\t"
    label["backend-shared"] = "backend direct, on wrk's core (ceiling)"
    label["backend-own"]    = "backend direct, on its own core"
    label["elbe"]           = "**Elbe**"
    label["haproxy"]        = "HAProxy"
    label["yarp"]           = "YARP baseline"
    label["yarp-log"]       = "YARP baseline + Elbe's forwarder logging"
    order = "backend-shared backend-own elbe haproxy yarp yarp-log"
    rows = split(order, proxies, " ")
}
FNR == NR { scenarios[++count] = $1; args[$1] = $2; ceilingOf[$1] = $3; next }
# Several rounds may measure the same pair; keep the round with the most req/s. Other load on the machine
# only ever slows a run down, so the best round is the one least disturbed.
!(($1, $2) in rps) || $3 + 0 > rps[$1, $2] + 0 {
    rps[$1, $2] = $3; p50[$1, $2] = $4; p99[$1, $2] = $5; errors[$1, $2] = $6
}
function ratio(a, b) { return (b > 0 && a != "") ? sprintf("%.2f", a / b) : "n/a" }
END {
    for (s = 1; s <= count; s++) {
        name = scenarios[s]
        printf "### %s: `wrk %s`\n\n", name, args[name]
        print "| | req/s | p50 ms | p99 ms | errors |"
        print "|---|---:|---:|---:|---:|"
        ceiling = rps[ceilingOf[name], "backend-shared"]
        for (r = 1; r <= rows; r++) {
            p = proxies[r]
            if (!((name, p) in rps)) continue
            note = (p !~ /^backend/ && ceiling > 0 && rps[name, p] >= 0.85 * ceiling) ? " (near backend ceiling)" : ""
            shown = label[p]
            if (p == "backend-shared" && ceilingOf[name] != name) sub(/ \(ceiling\)/, "", shown)
            printf "| %s%s | %d | %.2f | %.2f | %d |\n", shown, note, rps[name, p], p50[name, p], p99[name, p], errors[name, p]
        }
        if (ceilingOf[name] != name) printf "\nCeiling for this scenario: the backend under `%s` (the proxies keep their backend connections open).\n", ceilingOf[name]
        print ""
        print "| ratio | req/s | p50 | p99 |"
        print "|---|---:|---:|---:|"
        split("haproxy yarp", others, " ")
        for (o = 1; o <= 2; o++) {
            other = others[o]
            if (!((name, other) in rps) || !((name, "elbe") in rps)) continue
            printf "| Elbe / %s | %s | %s | %s |\n", label[other], ratio(rps[name, "elbe"], rps[name, other]),
                ratio(p50[name, "elbe"], p50[name, other]), ratio(p99[name, "elbe"], p99[name, other])
        }
        print ""
    }
}
