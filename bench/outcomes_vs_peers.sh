#!/bin/sh
# Every program's outcomes for one quarter, fika against DuckDB and pandas reading the
# interchange CSVs, in interleaved rounds; checks that all give the same counts.
#
#   bench/outcomes_vs_peers.sh FIKA DIR QUARTER ROUNDS DB...
#
# FIKA: the fika binary; DIR: the interchange folder DB... was imported from; PYTHON (from
# the environment, default python3) must have duckdb and pandas. Prints one line per run:
# who, round, wall seconds; then the medians; exits non-zero when a peer's counts differ.
set -eu
fika=$1 dir=$2 quarter=$3 rounds=$4
shift 4
py=${PYTHON:-python3}
here=$(dirname "$0")
out=$(mktemp -d)
counts='served working_competitive working_paid served_not_employed_at_entry working_competitive_not_employed_at_entry job_starts first_job_starts in_education enrolled exited'
pick() { # the counts of a JSON line, in order
    "$py" -c "import json,sys; o=json.loads(sys.stdin.readline()); print(' '.join(str(o[k]) for k in sys.argv[1:]))" $counts
}
timed() { # name, round, command...
    name=$1 round=$2
    shift 2
    start=$(date +%s.%N)
    "$@" > "$out/$name.json"
    end=$(date +%s.%N)
    echo "$name $round $(echo "$end - $start" | bc)" | tee -a "$out/times"
    pick < "$out/$name.json" > "$out/$name.counts"
}
for r in $(seq 1 "$rounds"); do
    n=0
    for db in "$@"; do
        n=$((n + 1))
        timed "fika-db$n" "$r" "$fika" --db "$db" outcomes --all --quarter "$quarter" --format json
    done
    timed duckdb "$r" "$py" "$here/outcomes_peers.py" duckdb "$dir" "$quarter"
    timed pandas "$r" "$py" "$here/outcomes_peers.py" pandas "$dir" "$quarter"
    for f in "$out"/*.counts; do
        cmp -s "$f" "$out/fika-db1.counts" || { echo "differs: $f"; cat "$f" "$out/fika-db1.counts"; exit 1; }
    done
done
echo "counts (all equal): $(cat "$out/fika-db1.counts")"
echo "medians:"
sort -k1,1 -k3,3n "$out/times" | awk '{t[$1] = t[$1] " " $3; c[$1]++} END {for (k in t) {split(substr(t[k], 2), v, " "); print "  " k, v[int((c[k] + 1) / 2)] " s"}}'
uptime
rm -rf "$out"
