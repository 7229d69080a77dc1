#!/bin/bash
# CPU per request of the participant's plan page (`/me`), measured as bench/day_view_cpu.sh
# measures the day view: wrk for 10 s, then the milliseconds of CPU per request spent in the
# fika server, in every `postgres` process (0 on SQLite) and on the whole machine.
# usage: plan_cpu.sh FIKA_BIN DB_URL PARTICIPANT_ID PORT [CONNECTIONS]
# needs wrk (Debian) and bc; the participant's account is made as bench/plan_load.sh makes it.
set -eu
FIKA=$1; DB=$2; PARTICIPANT=$3; PORT=$4; C=${5:-16}
ADDR=127.0.0.1:$PORT
W=$(mktemp -d); cd "$W"
LOGIN="cpu-$PARTICIPANT-$$"
PASSWORD="plan-cpu-pass-$$-long"
link=$($FIKA --db "$DB" participant invite "$PARTICIPANT" --base-url "http://$ADDR" | tail -1)
code=${link##*/join/}
$FIKA --db "$DB" serve --addr $ADDR > serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null http://$ADDR/login && break; sleep 0.1; done
page=$(curl -s -c jar -b jar "http://$ADDR/join/$code?lang=en")
token=$(echo "$page" | sed -n 's/.*name="join_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -c jar -b jar -o /dev/null --data-urlencode "login=$LOGIN" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "password_again=$PASSWORD" --data-urlencode "locale=en" \
  --data-urlencode "join_token=$token" --data-urlencode "lang=en" "http://$ADDR/join/$code"
cookie=$(sed 's/^#HttpOnly_//' jar | awk '!/^#/ && NF>=7 {print $6"="$7}' | paste -sd';' -)
wrk -t2 -c$C -d3s -H "Cookie: $cookie" http://$ADDR/me >/dev/null
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
pgt() { local s=0; for p in $(pgrep -x postgres); do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $s; }
allt() { awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat; }
f0=$(ticks $PID); p0=$(pgt); a0=$(allt)
out=$(wrk -t2 -c$C -d10s -H "Cookie: $cookie" http://$ADDR/me)
f1=$(ticks $PID); p1=$(pgt); a1=$(allt)
n=$(echo "$out" | awk '/requests in/{print $1}')
echo "$out" | grep -E "Requests/sec|Non-2xx" || true
echo "requests $n; ms CPU per request: fika $(echo "scale=3; ($f1-$f0)*10/$n" | bc) postgres $(echo "scale=3; ($p1-$p0)*10/$n" | bc) all $(echo "scale=3; ($a1-$a0)*10/$n" | bc)"
