# Renders the benchmark's markdown tables from run.sh's two tab-separated files:
#   scenarios: name, load generator line, listener family (in run order)
#   results:   scenario, proxy, round, value, p50 ms, p99 ms, errors, CPU s, peak or held RSS KiB
# The value is req/s, except MB/s for tcp-bulk, datagrams/s for udp-datagrams and KiB of resident memory per
# held connection for idle-connections and tcp-idle-flows. Of several rounds the best counts (most throughput, least memory):
# other work on this shared machine only ever makes a run worse. Ratios are Elbe divided by the other proxy.
BEGIN {
    FS = "\t"
    label["elbe"] = "**Elbe**"; label["haproxy"] = "HAProxy"; label["nginx"] = "nginx"; label["yarp"] = "stock YARP"
    count_proxies = split("elbe haproxy nginx yarp", proxies, " ")
}
FNR == NR { scenarios[++count] = $1; shown[$1] = $2; next }
function idle(scenario) { return scenario == "idle-connections" || scenario == "tcp-idle-flows" }
function better(scenario, a, b) { return idle(scenario) ? a < b : a > b }
!(($1, $2) in value) || better($1, $4 + 0, value[$1, $2] + 0) {
    value[$1, $2] = $4; p50[$1, $2] = $5; p99[$1, $2] = $6; errors[$1, $2] = $7; cpu[$1, $2] = $8; rss[$1, $2] = $9
}
function ratio(a, b) { return (b + 0 > 0 && a != "") ? sprintf("%.2f", a / b) : "n/a" }
END {
    for (s = 1; s <= count; s++) {
        name = scenarios[s]
        unit = name == "tcp-bulk" ? "MB/s" : name == "udp-datagrams" ? "datagrams/s" : "req/s"
        printf "### %s: `%s`\n\n", name, shown[name]
        if (!((name, "elbe") in value) && !((name, "haproxy") in value) && !((name, "nginx") in value) && !((name, "yarp") in value)) {
            print "Not run (see the notes below).\n"
            continue
        }
        if (idle(name)) {
            print "| | KiB per connection | connections that failed | RSS while held, MiB |"
            print "|---|---:|---:|---:|"
            for (r = 1; r <= count_proxies; r++) {
                p = proxies[r]
                if ((name, p) in value) printf "| %s | %.2f | %d | %.1f |\n", label[p], value[name, p], errors[name, p], rss[name, p] / 1024
            }
            print ""
            print "| ratio | KiB per connection |"
            print "|---|---:|"
            for (r = 2; r <= count_proxies; r++) {
                p = proxies[r]
                if ((name, p) in value && (name, "elbe") in value) printf "| Elbe / %s | %s |\n", label[p], ratio(value[name, "elbe"], value[name, p])
            }
            print ""
            continue
        }
        printf "| | %s | p50 ms | p99 ms | errors | CPU s | CPU us per request | peak RSS MiB |\n", unit
        print "|---|---:|---:|---:|---:|---:|---:|---:|"
        for (r = 1; r <= count_proxies; r++) {
            p = proxies[r]
            if (!((name, p) in value)) continue
            per = (unit == "req/s" && value[name, p] > 0) ? sprintf("%.1f", cpu[name, p] * 1e6 / (value[name, p] * duration)) : "-"
            printf "| %s | %s | %.2f | %.2f | %d | %.2f | %s | %.1f |\n", label[p], value[name, p], p50[name, p], p99[name, p],
                errors[name, p], cpu[name, p], per, rss[name, p] / 1024
        }
        print ""
        per_unit = unit == "req/s" ? "request" : unit == "MB/s" ? "MB" : "datagram"
        printf "| ratio | %s | p50 | p99 | CPU per %s |\n", unit, per_unit
        print "|---|---:|---:|---:|---:|"
        for (r = 2; r <= count_proxies; r++) {
            p = proxies[r]
            if (!((name, p) in value) || !((name, "elbe") in value)) continue
            cpr = (value[name, p] > 0 && value[name, "elbe"] > 0) ? ratio(cpu[name, "elbe"] / value[name, "elbe"], cpu[name, p] / value[name, p]) : "n/a"
            printf "| Elbe / %s | %s | %s | %s | %s |\n", label[p], ratio(value[name, "elbe"], value[name, p]),
                ratio(p50[name, "elbe"], p50[name, p]), ratio(p99[name, "elbe"], p99[name, p]), cpr
        }
        print ""
    }
}
