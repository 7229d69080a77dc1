#!/bin/bash
# Load benchmark of the coach's day view: fika serve on a database, one signed-in coach.
# usage: day_view_load.sh FIKA_BIN DB_URL COACH_ID [PORT]
# needs wrk (Debian) and oha (cargo install oha)
set -eu
FIKA=$1; DB=$2; COACH=$3; PORT=${4:-18080}
ADDR=127.0.0.1:$PORT
WORK=$(mktemp -d); cd "$WORK"
echo "bench-pass-$COACH" | $FIKA --db "$DB" user add --name "bench-$COACH" --role coach --coach "$COACH" --password-stdin >/dev/null 2>&1 || true
$FIKA --db "$DB" serve --addr $ADDR > serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null http://$ADDR/login && break; sleep 0.1; done
sleep 1
echo "idle RSS after start: $(ps -o rss= -p $PID) KB"
rm -f jar
page=$(curl -s -c jar -b jar http://$ADDR/login)
csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -c jar -b jar -o /dev/null -w "login: %{http_code}\n" \
  --data-urlencode "login=bench-$COACH" --data-urlencode "password=bench-pass-$COACH" \
  --data-urlencode "csrf=$csrf" --data-urlencode "lang=en" http://$ADDR/login
cookie=$(sed 's/^#HttpOnly_//' jar | awk '!/^#/ && NF>=7 {print $6"="$7}' | paste -sd';' -)
curl -s -o /dev/null -w "day: %{http_code} %{time_total}s\n" -H "Cookie: $cookie" http://$ADDR/day
echo "== paced: 200 requests/s for 20 s, 8 connections (oha, latency corrected)"
oha --no-tui -z 20s -c 8 -q 200 --latency-correction -H "Cookie: $cookie" http://$ADDR/day \
  | grep -E "Requests/sec|50.00%|90.00%|99.00%|99.90%|Success rate|\[200\]|\[[3-5][0-9][0-9]\]"
echo "== ceiling: 2 threads, 16 connections, 20 s"
wrk -t2 -c16 -d20s --latency -H "Cookie: $cookie" http://$ADDR/day | grep -E "Latency|50%|75%|90%|99%|Requests/sec|requests in|Non-2xx"
echo "RSS after load: $(ps -o rss= -p $PID) KB"
