# summary.awk - the bench table and results.json from run.sh's records.
#
#   awk -f summary.awk -v dir=DIR -v json=FILE info.tsv samples.tsv
#
# info.tsv:    SCALE<TAB>KEY<TAB>VALUE   (SCALE "-" for the run as a whole)
# samples.tsv: SCALE<TAB>KEY<TAB>REP<TAB>VALUE
# and, when present, DIR/s<SCALE>/profile-categories.tsv and profile.tsv.
# Prints the table; writes the JSON to FILE.  Statistics are the median and
# the min-max over the repetitions.

BEGIN { FS = "\t"; ns = 0 }

FILENAME == ARGV[1] {
    # (mawk creates x[k] before the right-hand side of x[k] = ... is read)
    if ($1 == "-") {
        if ($2 in g) g[$2] = g[$2] "; " $3
        else g[$2] = $3
    } else {
        addscale($1)
        k = $1 SUBSEP $2
        if (k in si) si[k] = si[k] "; " $3
        else si[k] = $3
    }
    next
}
{
    addscale($1)
    k = $1 SUBSEP $2
    cnt[k]++
    val[k, cnt[k]] = $4 + 0
}

function addscale(s) {
    if (!(s in isscale)) { isscale[s] = 1; scales[++ns] = s }
}

# st(scale, key): sets MED, MIN, MAX, N; returns N
function st(s, k,   key, n, i, j, a, t) {
    key = s SUBSEP k
    n = cnt[key] + 0
    N = n
    MED = MIN = MAX = ""
    if (n == 0) return 0
    for (i = 1; i <= n; i++) a[i] = val[key, i]
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    MIN = a[1]; MAX = a[n]
    MED = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    return n
}
function med(s, k) { st(s, k); return MED }
function has(s, k) { return cnt[s SUBSEP k] > 0 }
function inf(s, k) { return (s SUBSEP k) in si ? si[s SUBSEP k] : "" }

function label(s) { return s == 50 ? "S" : s == 500 ? "L" : "x" s }
function secs(ms, d) { return sprintf("%." d "f", ms / 1000) }
# "median [min-max]" in seconds
function cell(s, k, d) {
    if (!st(s, k)) return "-"
    if (N == 1) return secs(MED, d)
    return secs(MED, d) " [" secs(MIN, d) "-" secs(MAX, d) "]"
}
function mib(s, k) {
    if (!st(s, k)) return "-"
    return sprintf("%.0f [%.0f-%.0f]", MED / 1024, MIN / 1024, MAX / 1024)
}
function thousands(n,   s, r) {
    s = sprintf("%d", n); r = ""
    while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
    return s r
}
function row(lbl,   i, line) {
    line = sprintf("%-44s", lbl)
    for (i = 1; i <= ns; i++) line = line sprintf("%-28s", C[i])
    print line
    delete C
}
function ratio(a, b) { return (a != "" && b != "" && b + 0 > 0) ? a / b : "" }
function fmt2(x) { return x == "" ? "-" : sprintf("%.2f", x) }

# ---- JSON helpers
function q(s) {
    gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s)
    return "\"" s "\""
}
function num(x) {
    if (x == "") return "null"
    x += 0
    return (x == int(x) && x < 1e15 && x > -1e15) ? sprintf("%.0f", x) : sprintf("%.6g", x)
}
function jstat(s, k) {
    if (!st(s, k)) return "null"
    return sprintf("{\"median\": %s, \"min\": %s, \"max\": %s, \"n\": %d}", num(MED), num(MIN), num(MAX), N)
}
function jbool(b) { return b == "" ? "null" : b ? "true" : "false" }

END {
    # scales in numeric order
    for (i = 2; i <= ns; i++) { t = scales[i]; for (j = i - 1; j >= 1 && scales[j] + 0 > t + 0; j--) scales[j + 1] = scales[j]; scales[j + 1] = t }
    ntab = split("stakeholder stakeholder_role staff thread interaction gift volunteer_shift service_visit survey", tabs, " ")
    nq = split("peer_responsiveness peer_retention peer_lybunt peer_history", qs, " ")
    qlabel["peer_responsiveness"] = "first response, then per month+channel"
    qlabel["peer_retention"] = "FEP retention per fiscal year"
    qlabel["peer_lybunt"] = "LYBUNT"
    qlabel["peer_history"] = "x, t_x, T per donor"
    nstage = split("connect read compute models render write_files write_back other", stages, " ")
    ntim = split("connect read compute models risk files write_back total", tims, " ")
    slabel["connect"] = "connect"
    slabel["read"] = "read (COPY, decode, validate)"
    slabel["compute"] = "compute (metrics)"
    slabel["models"] = "models (BG/NBD, BG/BB, GG, KM)"
    slabel["render"] = "render (report.pdf, PNG)"
    slabel["write_files"] = "write files (JSON, CSV)"
    slabel["write_back"] = "write-back (schema rapport)"
    slabel["other"] = "other (start, config, free, exit)"

    nfn = 0
    if ("stage_fn" in g) {
        nsf = split(g["stage_fn"], sf, "; ")
        for (k = 1; k <= nsf; k++) {
            split(sf[k], a, " ")
            nfn++; fstage[nfn] = a[1]; fname[nfn] = a[2]; fnested[nfn] = a[3] != ""
        }
    }
    for (i = 1; i <= ns; i++) {
        s = scales[i]; tot = 0
        for (t = 1; t <= ntab; t++) tot += inf(s, "rows." tabs[t])
        rows[s] = tot
        e2e[s] = med(s, "e2e_ms"); fl[s] = med(s, "floor_ms"); pe[s] = med(s, "peer_ms")
        rf[s] = ratio(e2e[s], fl[s]); pr[s] = ratio(pe[s], e2e[s])
        st(s, "e2e_ms"); e2emin[s] = MIN; st(s, "floor_ms"); flmin[s] = MIN; st(s, "peer_ms"); pemin[s] = MIN
        rfmin[s] = ratio(e2emin[s], flmin[s]); prmin[s] = ratio(pemin[s], e2emin[s])
        nw[s] = med(s, "nowrite_ms")
    }
    L = scales[ns]; S = scales[1]

    printf "rapport bench: %s cores (%s), %.0f GiB RAM, PostgreSQL %s, %s, %s repetitions\n", \
        g["nproc"], g["cpu"], g["mem_kb"] / 1048576, g["pg_version"], g["rapport_version"], g["reps"]
    printf "period %s, %s, git %s; times in seconds, median [min-max]\n\n", g["period"], g["config"], g["git"]
    for (i = 1; i <= ns; i++) C[i] = label(scales[i]) " (scale " scales[i] ")"
    row("")
    for (i = 1; i <= ns; i++) C[i] = thousands(rows[scales[i]])
    row("rows read (all tables)")
    for (i = 1; i <= ns; i++) C[i] = sprintf("%.2f GiB%s", inf(scales[i], "db_bytes") / 1073741824, inf(scales[i], "data") == "cached" ? " (cached)" : " (loaded)")
    row("database size")
    for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "floor_ms", 2)
    row("floor: COPY of what rapport reads")
    for (t = 1; t <= ntab; t++) {
        for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "floor." tabs[t] "_ms", 3)
        row("  " tabs[t])
    }
    for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "peer_ms", 2)
    row("SQL peer (tests/bench/peer.sql)")
    for (k = 1; k <= nq; k++) {
        for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "peer." qs[k] "_ms", 2)
        row("  " qlabel[qs[k]])
    }
    for (i = 1; i <= ns; i++) C[i] = inf(scales[i], "peer_check") " (" inf(scales[i], "peer_check_figures") " figures)"
    row("  peer check against rapport")
    for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "e2e_ms", 2)
    row("rapport end to end")
    for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "nowrite_ms", 2)
    row("rapport --no-write")
    for (i = 1; i <= ns; i++) { s = scales[i]; C[i] = (e2e[s] != "" && nw[s] != "") ? secs(e2e[s] - nw[s], 2) : "-" }
    row("  write-back (difference of medians)")
    for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "e2e_cpu_ms", 2)
    row("rapport CPU time (user+sys)")
    for (i = 1; i <= ns; i++) C[i] = mib(scales[i], "e2e_rss_kb")
    row("peak RSS, end to end (MiB)")
    for (i = 1; i <= ns; i++) C[i] = mib(scales[i], "nowrite_rss_kb")
    row("peak RSS, --no-write (MiB)")
    # rapport's own --timings of the timed end-to-end runs
    any = 0
    for (i = 1; i <= ns; i++) if (has(scales[i], "timings.total_ms")) any = 1
    if (any) {
        for (i = 1; i <= ns; i++) C[i] = ""
        row("stages (rapport --timings, end-to-end runs)")
        for (k = 1; k <= ntim; k++) {
            for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "timings." tims[k] "_ms", 3)
            row("  " tims[k])
        }
    }
    any = 0
    for (i = 1; i <= ns; i++) if (has(scales[i], "stages_wall_ms")) any = 1
    if (any) {
        for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "stages_wall_ms", 2)
        row("stages (uprobes; rapport process)")
        # the wall time the functions are compared with
        wmax = 0
        for (i = 1; i <= ns; i++) { st(scales[i], "stages_wall_ms"); if (MED > wmax) wmax = MED }
        for (k = 1; k <= nstage; k++) {
            for (i = 1; i <= ns; i++) C[i] = cell(scales[i], "stage." stages[k] "_ms", 3)
            row("  " slabel[stages[k]])
            # its functions taking at least 2 % of the run at some scale
            for (f = 1; f <= nfn; f++) {
                if (fstage[f] != stages[k]) continue
                big = fname[f] == "rp_bgnbd_fit"
                for (i = 1; i <= ns; i++) { st(scales[i], "fn." fname[f] "_ms"); if (MED != "" && MED >= 0.02 * wmax) big = 1 }
                if (!big) continue
                for (i = 1; i <= ns; i++) {
                    C[i] = cell(scales[i], "fn." fname[f] "_ms", 3)
                    if (fname[f] == "rp_bgnbd_fit") C[i] = C[i] " n=" inf(scales[i], "bgnbd_donors")
                }
                row("    " (fnested[f] ? "  " : "") fname[f] (fnested[f] ? " (inside)" : ""))
            }
        }
    } else {
        print "stages: " (g["stages"] == "" ? "not measured" : g["stages"])
    }
    for (i = 1; i <= ns; i++) { st(scales[i], "load1"); C[i] = N ? sprintf("%.1f [%.1f-%.1f]", MED, MIN, MAX) : "-" }
    row("load average (1 min) at each repetition")
    for (i = 1; i <= ns; i++) { s = scales[i]; C[i] = rf[s] == "" ? "-" : sprintf("%.2f x  (min/min %.2f x)", rf[s], rfmin[s]) }
    row("rapport / floor")
    for (i = 1; i <= ns; i++) { s = scales[i]; C[i] = pr[s] == "" ? "-" : sprintf("%.2f x  (min/min %.2f x)", pr[s], prmin[s]) }
    row("SQL peer / rapport")

    # profile
    for (i = 1; i <= ns; i++) {
        s = scales[i]; f = dir "/s" s "/profile-categories.tsv"; np[s] = 0
        while ((getline l < f) > 0) { split(l, a, "\t"); np[s]++; pcat[s, np[s]] = a[2]; ppct[s, np[s]] = a[1] }
        close(f)
        f = dir "/s" s "/profile.tsv"; nt[s] = 0
        while ((getline l < f) > 0 && nt[s] < 15) { split(l, a, "\t"); nt[s]++; tpct[s, nt[s]] = a[1]; tcat[s, nt[s]] = a[2]; tdso[s, nt[s]] = a[3]; tsym[s, nt[s]] = a[4] }
        close(f)
    }
    for (i = 1; i <= ns; i++) {
        s = scales[i]
        if (!np[s]) continue
        printf "\nprofile at %s (perf record -g, rapport's own CPU, self time):\n", label(s)
        for (k = 1; k <= np[s] && k <= 10; k++) printf "  %6.2f%%  %s\n", ppct[s, k], pcat[s, k]
        printf "  top functions:\n"
        for (k = 1; k <= nt[s] && k <= 12; k++) printf "  %6.2f%%  %-40s %s\n", tpct[s, k], tsym[s, k], tdso[s, k]
    }

    # targets, at the largest scale
    tL = e2e[L]; rss = med(L, "e2e_rss_kb"); fit = med(L, "fn.rp_bgnbd_fit_ms"); rend = med(L, "stage.render_ms")
    expo = ""
    if (ns > 1 && rows[S] > 0 && rows[L] > rows[S] && e2e[S] > 0) expo = log(e2e[L] / e2e[S]) / log(rows[L] / rows[S])
    tg[1] = "rapport end to end <= 1.0 x floor"; tv[1] = rf[L]; tm[1] = rf[L] == "" ? "" : rf[L] <= 1.0
    td[1] = rf[L] == "" ? "-" : sprintf("%.2f x", rf[L])
    tg[2] = ">= 6 x faster than the SQL peer"; tv[2] = pr[L]; tm[2] = pr[L] == "" ? "" : pr[L] >= 6
    td[2] = pr[L] == "" ? "-" : sprintf("%.2f x", pr[L])
    tg[3] = "peak RSS <= 1 GiB"; tv[3] = rss == "" ? "" : rss / 1048576; tm[3] = rss == "" ? "" : rss <= 1048576
    td[3] = rss == "" ? "-" : sprintf("%.2f GiB", rss / 1048576)
    tg[4] = "cost linear in rows (exponent <= 1.05)"; tv[4] = expo; tm[4] = expo == "" ? "" : expo <= 1.05
    td[4] = expo == "" ? "- (one scale)" : sprintf("exponent %.2f", expo)
    tg[5] = "BG/NBD fit < 1 s"; tv[5] = fit == "" ? "" : fit / 1000; tm[5] = fit == "" ? "" : fit < 1000
    td[5] = fit == "" ? "- (no stage probes)" : sprintf("%.3f s on %s donors", fit / 1000, inf(L, "bgnbd_donors"))
    tg[6] = "rendering all reports < 2 s"; tv[6] = rend == "" ? "" : rend / 1000; tm[6] = rend == "" ? "" : rend < 2000
    td[6] = rend == "" ? "- (no stage probes)" : sprintf("%.3f s", rend / 1000)
    # the factor by which the value must improve to meet the target (> 1:
    # not met) or its headroom (< 1: met)
    tl[1] = 1.0; tl[2] = 6; tl[3] = 1; tl[4] = 1.05; tl[5] = 1; tl[6] = 2
    for (k = 1; k <= 6; k++) {
        fac[k] = ""
        if (tv[k] != "" && tv[k] + 0 > 0) fac[k] = k == 2 ? tl[k] / tv[k] : tv[k] / tl[k]
        if (k == 4 && tv[k] != "") fac[k] = ""   # an exponent: no factor
    }
    printf "\ntargets at %s (scale %s, %s cores):\n", label(L), L, g["nproc"]
    for (k = 1; k <= 6; k++)
    {
        verdict = tm[k] == "" ? "not measured" : tm[k] ? "met" : "NOT MET"
        margin = ""
        if (fac[k] != "") margin = (fac[k] > 1) ? sprintf("(needs %.2fx better)", fac[k]) : sprintf("(%.2fx headroom)", 1 / fac[k])
        printf "  %-42s %-28s %-8s %s\n", tg[k], td[k], verdict, margin
    }

    # ---- results.json
    o = json
    printf "{\n" > o
    printf "  \"generated_at\": %s,\n", q(g["generated_at"]) > o
    printf "  \"machine\": {\"nproc\": %d, \"cpu\": %s, \"mem_kb\": %d},\n", g["nproc"], q(g["cpu"]), g["mem_kb"] > o
    printf "  \"postgresql\": {\"version\": %s, \"peer_work_mem\": %s},\n", q(g["pg_version"]), q(g["peer_work_mem"]) > o
    printf "  \"rapport\": {\"version\": %s, \"git\": %s},\n", q(g["rapport_version"]), q(g["git"]) > o
    printf "  \"settings\": {\"reps\": %d, \"period\": %s, \"config\": %s, \"statistics\": \"median, min, max over reps; times in ms, RSS in kB\"},\n", g["reps"], q(g["period"]), q(g["config"]) > o
    printf "  \"methods\": {\n" > o
    printf "    \"floor\": \"psql: COPY (SELECT <columns rapport reads, src/db/read.c tables[]>) TO STDOUT of every table, to /dev/null, one REPEATABLE READ READ ONLY transaction; total = wall time of psql, per table = psql \\\\timing\",\n" > o
    printf "    \"peer\": \"psql: SELECT * of the views of tests/bench/peer.sql to /dev/null; total = wall time of psql (view creation included), per query = psql \\\\timing; checked once per scale against rapport (tests/bench/peer_check.sql)\",\n" > o
    printf "    \"rapport\": \"wall time of rapport run --quiet (end to end with write-back, and --no-write); CPU and peak RSS from /usr/bin/time -v; rapport.* truncated before each write run\",\n" > o
    printf "    \"stages\": %s,\n", q(g["stages"] == "" ? "not measured" : g["stages"] "; the engine has no per-stage switch, so stage times come from outside; 'other' = wall time minus the stages") > o
    printf "    \"profile\": \"perf record -g of one run with write-back per scale; self time per function from perf report --no-children, grouped by the engine folder of the function or by library\"\n" > o
    printf "  },\n" > o
    printf "  \"scales\": [\n" > o
    for (i = 1; i <= ns; i++) {
        s = scales[i]
        printf "    {\"scale\": %s, \"label\": %s, \"database\": %s, \"data\": %s, \"db_bytes\": %s,\n", s, q(label(s)), q(inf(s, "database")), q(inf(s, "data")), num(inf(s, "db_bytes")) > o
        printf "     \"rows\": {" > o
        for (t = 1; t <= ntab; t++) printf "%s: %d, ", q(tabs[t]), inf(s, "rows." tabs[t]) > o
        printf "\"total\": %d},\n", rows[s] > o
        printf "     \"floor_ms\": %s,\n", jstat(s, "floor_ms") > o
        printf "     \"floor_by_table_ms\": {" > o
        for (t = 1; t <= ntab; t++) printf "%s%s: %s", (t > 1 ? ", " : ""), q(tabs[t]), jstat(s, "floor." tabs[t] "_ms") > o
        printf "},\n" > o
        printf "     \"peer_ms\": %s,\n", jstat(s, "peer_ms") > o
        printf "     \"peer_by_query_ms\": {" > o
        for (k = 1; k <= nq; k++) printf "%s%s: %s", (k > 1 ? ", " : ""), q(qs[k]), jstat(s, "peer." qs[k] "_ms") > o
        printf "},\n" > o
        printf "     \"peer_check\": {\"result\": %s, \"ok\": %s, \"figures_compared\": %s, \"note\": %s},\n", q(inf(s, "peer_check")), jbool(inf(s, "peer_check") == "ok"), num(inf(s, "peer_check_figures")), q(inf(s, "peer_note")) > o
        printf "     \"rapport_end_to_end_ms\": %s,\n", jstat(s, "e2e_ms") > o
        printf "     \"rapport_no_write_ms\": %s,\n", jstat(s, "nowrite_ms") > o
        printf "     \"write_back_ms\": %s,\n", ((e2e[s] != "" && nw[s] != "") ? num(e2e[s] - nw[s]) : "null") > o
        printf "     \"rapport_cpu_ms\": {\"end_to_end\": %s, \"no_write\": %s},\n", jstat(s, "e2e_cpu_ms"), jstat(s, "nowrite_cpu_ms") > o
        printf "     \"peak_rss_kb\": {\"end_to_end\": %s, \"no_write\": %s},\n", jstat(s, "e2e_rss_kb"), jstat(s, "nowrite_rss_kb") > o
        printf "     \"timings_ms\": {" > o
        for (k = 1; k <= ntim; k++) printf "%s%s: %s", (k > 1 ? ", " : ""), q(tims[k]), jstat(s, "timings." tims[k] "_ms") > o
        printf "},\n" > o
        printf "     \"stages_ms\": {\"instrumented_run\": %s", jstat(s, "stages_wall_ms") > o
        for (k = 1; k <= nstage; k++) printf ", %s: %s", q(stages[k]), jstat(s, "stage." stages[k] "_ms") > o
        printf "},\n" > o
        printf "     \"functions_ms\": {" > o
        for (k = 1; k <= nfn; k++) printf "%s%s: {\"stage\": %s, \"nested\": %s, \"ms\": %s}", (k > 1 ? ", " : ""), q(fname[k]), q(fstage[k]), jbool(fnested[k]), jstat(s, "fn." fname[k] "_ms") > o
        printf "},\n" > o
        printf "     \"bgnbd_donors\": %s,\n", num(inf(s, "bgnbd_donors")) > o
        printf "     \"profile\": {\"categories_pct\": {" > o
        for (k = 1; k <= np[s]; k++) printf "%s%s: %s", (k > 1 ? ", " : ""), q(pcat[s, k]), num(ppct[s, k]) > o
        printf "}, \"top_functions\": [" > o
        for (k = 1; k <= nt[s]; k++) printf "%s{\"pct\": %s, \"function\": %s, \"dso\": %s, \"category\": %s}", (k > 1 ? ", " : ""), num(tpct[s, k]), q(tsym[s, k]), q(tdso[s, k]), q(tcat[s, k]) > o
        printf "]},\n" > o
        printf "     \"load_avg_1min\": %s,\n", jstat(s, "load1") > o
        printf "     \"ratios\": {\"rapport_over_floor\": %s, \"peer_over_rapport\": %s, \"rapport_over_floor_min_over_min\": %s, \"peer_over_rapport_min_over_min\": %s}}%s\n", num(rf[s]), num(pr[s]), num(rfmin[s]), num(prmin[s]), (i < ns ? "," : "") > o
    }
    printf "  ],\n" > o
    printf "  \"scaling\": {\"from_scale\": %s, \"to_scale\": %s, \"rows_ratio\": %s, \"end_to_end_ratio\": %s, \"exponent\": %s},\n", S, L, num(ratio(rows[L], rows[S])), num(ratio(e2e[L], e2e[S])), num(expo) > o
    printf "  \"ratios\": {\"scale\": %s, \"rapport_over_floor\": %s, \"peer_over_rapport\": %s, \"note\": \"ratios of medians; min/min ratios per scale above\"},\n", L, num(rf[L]), num(pr[L]) > o
    printf "  \"targets\": {\"scale\": %s,\n", L > o
    tk[1] = "end_to_end_vs_floor"; tt[1] = "rapport end to end <= 1.0 x the floor"
    tk[2] = "faster_than_peer"; tt[2] = "peer / rapport >= 6"
    tk[3] = "peak_rss_gib"; tt[3] = "<= 1 GiB"
    tk[4] = "linear_cost"; tt[4] = "end-to-end time ~ rows^k with k <= 1.05 (smallest to largest scale)"
    tk[5] = "bgnbd_fit_s"; tt[5] = "< 1 s (on the donors of the largest scale: bgnbd_donors)"
    tk[6] = "render_s"; tt[6] = "rendering all reports < 2 s"
    for (k = 1; k <= 6; k++)
        printf "    %s: {\"target\": %s, \"value\": %s, \"met\": %s, \"improvement_needed\": %s}%s\n", q(tk[k]), q(tt[k]), num(tv[k]), jbool(tm[k]), num(fac[k]), (k < 6 ? "," : "") > o
    printf "  }\n}\n" > o
    close(o)
}
