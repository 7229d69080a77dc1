#!/bin/bash
# Load benchmark of the participant's own plan page (`/me`), measured like the coach's day
# view (bench/day_view_load.sh): fika serve on a database, one participant signed in through
# an invitation made with `fika participant invite`, a paced run at 200 requests/s (oha,
# latency corrected) and a ceiling (wrk, 16 connections). Every `/me` read writes its audit
# row, as a participant's own reads are audited.
# usage: plan_load.sh FIKA_BIN DB_URL PARTICIPANT_ID [PORT] [SECONDS]
# needs wrk (Debian) and oha (cargo install oha --locked)
set -eu
FIKA=$1; DB=$2; PARTICIPANT=$3; PORT=${4:-18081}; SECS=${5:-20}
ADDR=127.0.0.1:$PORT
WORK=$(mktemp -d); cd "$WORK"
LOGIN="bench-$PARTICIPANT-$$"
PASSWORD="plan-bench-pass-$$-long"
link=$($FIKA --db "$DB" participant invite "$PARTICIPANT" --base-url "http://$ADDR" | tail -1)
code=${link##*/join/}
$FIKA --db "$DB" serve --addr $ADDR > serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null http://$ADDR/login && break; sleep 0.1; done
sleep 1
echo "idle RSS after start: $(ps -o rss= -p $PID) KB"
page=$(curl -s -c jar -b jar "http://$ADDR/join/$code?lang=en")
token=$(echo "$page" | sed -n 's/.*name="join_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -c jar -b jar -o /dev/null -w "join: %{http_code}\n" \
  --data-urlencode "login=$LOGIN" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "password_again=$PASSWORD" --data-urlencode "locale=en" \
  --data-urlencode "join_token=$token" --data-urlencode "lang=en" "http://$ADDR/join/$code"
cookie=$(sed 's/^#HttpOnly_//' jar | awk '!/^#/ && NF>=7 {print $6"="$7}' | paste -sd';' -)
curl -s -o plan.html -w "plan: %{http_code} %{time_total}s %{size_download} bytes\n" -H "Cookie: $cookie" http://$ADDR/me
grep -q 'href="/me' plan.html || { echo "the plan page did not come back signed in"; exit 1; }
echo "== paced: 200 requests/s for $SECS s, 8 connections (oha, latency corrected)"
oha --no-tui -z "${SECS}s" -c 8 -q 200 --latency-correction -H "Cookie: $cookie" http://$ADDR/me \
  | grep -E "Requests/sec|50.00%|90.00%|99.00%|99.90%|Success rate|\[200\]|\[[3-5][0-9][0-9]\]"
echo "== ceiling: 2 threads, 16 connections, $SECS s"
wrk -t2 -c16 -d"${SECS}s" --latency -H "Cookie: $cookie" http://$ADDR/me | grep -E "Latency|50%|75%|90%|99%|Requests/sec|requests in|Non-2xx"
echo "RSS after load: $(ps -o rss= -p $PID) KB"
