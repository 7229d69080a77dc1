#!/bin/bash
# Times a questionnaire round's results page and its downloads over HTTP: fika serve on a
# database that holds the round (crates/cli/examples/questionnaire_bench.rs fills one), one
# signed-in evaluator, each URL fetched RUNS times; prints the median and the range.
# usage: questionnaire_pages.sh FIKA_BIN DB_URL ROUND [PORT] [RUNS]
set -eu
FIKA=$1; DB=$2; ROUND=$3; PORT=${4:-18090}; RUNS=${5:-7}
ADDR=127.0.0.1:$PORT
WORK=$(mktemp -d); cd "$WORK"
echo "Tallrik-kaffe-9173-bench" | $FIKA --db "$DB" user add --name qbench --role evaluator --password-stdin >/dev/null 2>&1 || true
$FIKA --db "$DB" serve --addr $ADDR > serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null http://$ADDR/login && break; sleep 0.1; done
page=$(curl -s -c jar -b jar http://$ADDR/login)
csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -c jar -b jar -o /dev/null -w "login: %{http_code}\n" \
  --data-urlencode "login=qbench" --data-urlencode "password=Tallrik-kaffe-9173-bench" \
  --data-urlencode "csrf=$csrf" http://$ADDR/login
for path in "/rounds/$ROUND" "/rounds/$ROUND/programs.csv" "/rounds/$ROUND/long.csv" "/rounds/$ROUND/results.xlsx"; do
  times=()
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -s -b jar -o body -w "%{http_code} %{time_total}" "http://$ADDR$path")")
  done
  printf '%s\n' "${times[@]}" | awk -v p="$path" -v size="$(stat -c %s body)" '
    { code=$1; t[NR]=$2 } END { n=asort(t); printf "%-34s %s  median %.3f s  min %.3f s  max %.3f s  (%d runs, %d bytes)\n", p, code, t[int((n+1)/2)], t[1], t[n], n, size }'
done
