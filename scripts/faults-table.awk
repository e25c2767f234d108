# The one table of scripts/faults.sh: a row per suite from the tallies the suites leave in jobs/it/target/.
# Input files (tab-separated, -F'\t'): faults-suites.tsv (suite, exit, seconds), crash-suite.tsv, kill-points.tsv,
# outage-suite.tsv, poison-suite.tsv, and the freshness simulation's report.json.
FILENAME ~ /faults-suites/ { order[++n] = $1; failed[$1] = $2; secs[$1] = $3; next }
FILENAME ~ /crash-suite/ {
    if ($2 == "reader" && $3 == "reads") { note["crash"] = note["crash"] sprintf("%s reader: %d reads; ", $1, $4); viol["crash"] += $5 }
    else if ($2 == "reader" && $3 ~ /^torn/) note["crash"] = note["crash"] sprintf("%s: %d cut by S3Mock, reread; ", $1, $4)
    else { kills["crash"] += $4; cases["crash"] += $5 }
    next
}
FILENAME ~ /kill-points/ { cases["kill-points"]++; kills["kill-points"]++; next }
FILENAME ~ /outage-suite/ {
    if ($1 == "reader") { viol["outages"] += $6; note["outages"] = note["outages"] sprintf("reader: %d reads (%d cut by S3Mock, reread); ", $5, $4) }
    else if ($1 == "secrets") note["outages"] = note["outages"] sprintf("secrets scan: %d alerts, %d objects, 0 found", $5, $6)
    else cases["outages"]++
    next
}
FILENAME ~ /poison-suite/ { cases["poison"] += $2; note["poison"] = note["poison"] sprintf("%s: %d hostile, %d rejected; ", $1, $2, $3); next }
FILENAME ~ /report.json/ {
    if (match($0, /"cycles": [0-9]+/)) cases["freshness"] = substr($0, RSTART + 10, RLENGTH - 10)
    if (match($0, /"fresh_fraction_outside_faults": [0-9.]+/)) fresh = substr($0, RSTART + 33, RLENGTH - 33)
    if (match($0, /"fresh_fraction_all": [0-9.]+/)) all = substr($0, RSTART + 22, RLENGTH - 22)
    if (match($0, /"stale_minutes": [0-9]+/)) stale = substr($0, RSTART + 17, RLENGTH - 17)
    if ($0 ~ /"(stale_minutes_unflagged|stale_minutes_unalerted|secret_leaks)": \[$/) listing = 1
    else if (listing && $0 ~ /^ *\]/) listing = 0
    else if (listing) viol["freshness"]++
    next
}
END {
    if (fresh != "") note["freshness"] = sprintf("fresh outside faults %.2f %%, all minutes %.2f %%, %d stale minutes", fresh * 100, all * 100, stale)
    printf "%-12s %6s %6s %9s %9s  %s\n", "suite", "cases", "kills", "failures", "seconds", "notes"
    for (i = 1; i <= n; i++) {
        s = order[i]
        printf "%-12s %6d %6d %9d %9d  %s\n", s, cases[s], kills[s], failed[s] + viol[s], secs[s], note[s]
        tc += cases[s]; tk += kills[s]; tf += failed[s] + viol[s]; ts += secs[s]
    }
    printf "%-12s %6d %6d %9d %9d\n", "total", tc, tk, tf, ts
}
