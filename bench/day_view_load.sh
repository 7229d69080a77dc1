#!/bin/bash
# Load benchmark of the coach's day view: fika serve on a database, one signed-in coach.
# usage: load.sh FIKA_BIN DB_URL COACH_ID [PORT]
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
cat > paced.lua <<'LUA'
-- Each connection waits 10 ms between requests: 2 connections give at most 200 requests/s.
function delay() return 10 end
LUA
echo "== paced (about 200 requests/s): 2 connections, 10 ms apart, 20 s"
wrk -t2 -c2 -d20s --latency -s paced.lua -H "Cookie: $cookie" http://$ADDR/day | grep -E "Latency|50%|75%|90%|99%|Requests/sec|requests in|Non-2xx"
echo "== ceiling: 2 threads, 16 connections, 20 s"
wrk -t2 -c16 -d20s --latency -H "Cookie: $cookie" http://$ADDR/day | grep -E "Latency|50%|75%|90%|99%|Requests/sec|requests in|Non-2xx"
echo "RSS after load: $(ps -o rss= -p $PID) KB"
