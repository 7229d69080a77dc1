#!/bin/bash
# Load-shedding under attack: the coach's day view paced at 200 requests/s (oha, latency
# corrected) on its own, then while 100 connections hammer /login with wrong sign-ins (wrk
# with bench/login_hammer.lua: each at its own account, from its own address behind a
# proxy, so only the bound on password checks holds them back) and 500 slow connections are
# held open (bench/slow_connections.py), then with both. Prints the day view's latency in
# each phase, the hammer's answers, the slow connections the server closed, and memory.
# usage: shedding.sh FIKA_BIN DB_URL COACH_ID [PORT] [SECONDS]
# needs wrk (Debian), oha (cargo install oha --locked), python3
set -eu
FIKA=$1; DB=$2; COACH=$3; PORT=${4:-18090}; SECS=${5:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
ADDR=127.0.0.1:$PORT
WORK=$(mktemp -d); cd "$WORK"
echo "bench-pass-$COACH" | $FIKA --db "$DB" user add --name "bench-$COACH" --role coach --coach "$COACH" --password-stdin >/dev/null 2>&1 || true
$FIKA --db "$DB" serve --addr $ADDR --behind-proxy > serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; kill $(jobs -p) 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null http://$ADDR/login && break; sleep 0.1; done
sleep 1
rm -f jar
page=$(curl -s -c jar -b jar http://$ADDR/login)
csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -c jar -b jar -o /dev/null -w "login: %{http_code}\n" \
  --data-urlencode "login=bench-$COACH" --data-urlencode "password=bench-pass-$COACH" \
  --data-urlencode "csrf=$csrf" --data-urlencode "lang=en" http://$ADDR/login
cookie=$(sed 's/^#HttpOnly_//' jar | awk '!/^#/ && NF>=7 {print $6"="$7}' | paste -sd';' -)
curl -s -o /dev/null -w "day: %{http_code} %{time_total}s\n" -H "Cookie: $cookie" http://$ADDR/day
# A fresh sign-in form's token for the hammer (no session: it is one of the attackers).
token=$(curl -s -c hjar http://$ADDR/login | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
rss() { awk -v k="$1" '$1 == k":" {print $2 / 1024 " MB"}' /proc/$PID/status; }
paced() {
  oha --no-tui -z "${SECS}s" -c 8 -q 200 --latency-correction -H "Cookie: $cookie" http://$ADDR/day \
    | grep -E "Requests/sec|50.00%|90.00%|99.00%|99.90%|Success rate|\[200\]|\[[3-5][0-9][0-9]\]"
}
hammer() {
  FIKA_LOGIN_TOKEN=$token wrk -t1 -c100 -d"$((SECS + 4))s" -s "$HERE/login_hammer.lua" http://$ADDR/login \
    | grep -E "login hammer|Requests/sec|Latency" &
  ATTACKS+=($!)
}
slow() {
  python3 "$HERE/slow_connections.py" 127.0.0.1 $PORT 500 "$((SECS + 4))" | tail -1 &
  ATTACKS+=($!)
}
# Waits for the attacks started (not for the server, also a job of this shell).
attacks_end() { wait "${ATTACKS[@]}"; ATTACKS=(); }
ATTACKS=()
echo "RSS before: $(rss VmRSS)"
echo "== 1. the day view alone"
paced
echo "== 2. while 100 connections hammer /login"
hammer; sleep 2; paced; attacks_end
echo "RSS: $(rss VmRSS), peak $(rss VmHWM)"
echo "== 3. while 500 slow connections are held open"
slow; sleep 2; paced; attacks_end
echo "== 4. both"
hammer; slow; sleep 2; paced; attacks_end
echo "RSS after: $(rss VmRSS), peak $(rss VmHWM)"
grep -ci "panic" serve.log | sed 's/^/panics in the server log: /'
