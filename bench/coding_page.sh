#!/bin/bash
# The coding page (/qual/{project}/sources/{source}, crates/web/src/pages/qual/source.rs)
# over HTTP: a 2-hour transcript (about 20,000 words, 135,000 characters, 544 speaker turns)
# with 500 coded segments by the signed-in coder and 500 by another, made by the example
# `coding_page_data`; `fika serve` on the database, the coder signed in with curl, then N
# sequential GETs timed with curl (%{time_total}); prints the median, p90 and extremes.
#
# usage: bench/coding_page.sh FIKA_BIN DATA_BIN DB_URL [PORT] [N] [TRANSCRIPTS]
# e.g.:
#   cargo build --release -p fika-cli --bin fika
#   cargo build --release -p fika-web --example coding_page_data
#   bench/coding_page.sh target/release/fika target/release/examples/coding_page_data \
#     sqlite:/tmp/coding.db 18090 200
#   psql postgres://postgres@127.0.0.1:5432/postgres -c 'CREATE DATABASE fika_coding_bench'
#   bench/coding_page.sh target/release/fika target/release/examples/coding_page_data \
#     postgres://postgres@127.0.0.1:5432/fika_coding_bench 18091 200
#   psql postgres://postgres@127.0.0.1:5432/postgres -c 'DROP DATABASE fika_coding_bench'
# TRANSCRIPTS (default 1) puts that many such transcripts in the project; the page shows
# the first. Each run adds a new project (and the coder, the first time) to the database.
set -eu
FIKA=$(realpath "$1"); DATA=$(realpath "$2"); DB=$3; PORT=${4:-18090}; N=${5:-200}; T=${6:-1}
ADDR=127.0.0.1:$PORT
LOGIN=kodaren-bench
PASSWORD=coding-page-bench-pass
WORK=$(mktemp -d); cd "$WORK"
echo "$PASSWORD" | $FIKA --db "$DB" user add --name $LOGIN --role evaluator --password-stdin \
  >/dev/null 2>&1 || true
read -r PROJECT SOURCE < <($DATA "$DB" $LOGIN "$T")
URL="http://$ADDR/qual/$PROJECT/sources/$SOURCE"
$FIKA --db "$DB" serve --addr $ADDR > serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null http://$ADDR/login && break; sleep 0.1; done
sleep 1
page=$(curl -s -c jar -b jar http://$ADDR/login)
csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -c jar -b jar -o /dev/null -w "login: %{http_code}\n" \
  --data-urlencode "login=$LOGIN" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "csrf=$csrf" --data-urlencode "lang=en" http://$ADDR/login
cookie=$(sed 's/^#HttpOnly_//' jar | awk '!/^#/ && NF>=7 {print $6"="$7}' | paste -sd';' -)
curl -s -o page.html -w "first GET: %{http_code} %{time_total}s %{size_download} bytes\n" \
  -H "Cookie: $cookie" "$URL"
marks=$(grep -o '<mark ' page.html | wc -l)
coded=$(grep -o '<li id="s-' page.html | wc -l)
echo "page: $marks highlight marks, $coded coded segments listed"
[ "$coded" -eq 500 ] || { echo "the page did not list the coder's 500 segments"; exit 1; }
for _ in $(seq 1 5); do curl -s -o /dev/null -H "Cookie: $cookie" "$URL"; done
for _ in $(seq 1 "$N"); do
  curl -s -o /dev/null -w "%{time_total}\n" -H "Cookie: $cookie" "$URL"
done | sort -n > times
awk -v n="$N" '{ t[NR] = $1 * 1000 } END {
  printf "%d GETs: median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms\n",
    n, t[int((n + 1) / 2)], t[int(n * 0.9 + 0.5)], t[1], t[n] }' times
curl -s -o /dev/null -w "codes.css: %{http_code} %{time_total}s %{size_download} bytes\n" \
  -H "Cookie: $cookie" "http://$ADDR/qual/$PROJECT/codes.css"
echo "RSS after: $(ps -o rss= -p $PID) KB"
