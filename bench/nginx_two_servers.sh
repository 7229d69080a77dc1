#!/bin/bash
# The coach's day view through nginx (TLS, HTTP/1.1 to the clients here) in front of two
# `fika serve` processes on one PostgreSQL database (bench/nginx-two-servers.conf), and the
# same day view from one fika server without nginx, in the same run: a paced run at 200
# requests/s (oha, latency corrected) and a ceiling (wrk, 16 connections), then how the
# requests were shared between the two servers (nginx's access log).
# usage: nginx_two_servers.sh FIKA_BIN POSTGRES_URL COACH_ID [SECONDS]
# needs nginx, openssl (Debian), wrk, oha
set -eu
FIKA=$1; DB=$2; COACH=$3; SECS=${4:-15}
CONF="$(cd "$(dirname "$0")" && pwd)/nginx-two-servers.conf"
N=/tmp/fika-nginx
mkdir -p $N
[ -f $N/fika.crt ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout $N/fika.key -out $N/fika.crt 2>/dev/null
: > $N/access.log
echo "bench-pass-$COACH" | $FIKA --db "$DB" user add --name "bench-$COACH" --role coach --coach "$COACH" --password-stdin >/dev/null 2>&1 || true
W=$(mktemp -d); cd "$W"
$FIKA --db "$DB" serve --addr 127.0.0.1:8081 --secure-cookies --behind-proxy > s1.log 2>&1 &
P1=$!
$FIKA --db "$DB" serve --addr 127.0.0.1:8082 --secure-cookies --behind-proxy > s2.log 2>&1 &
P2=$!
nginx -p $N -e $N/error.log -c "$CONF"
trap 'nginx -p $N -e $N/error.log -c "$CONF" -s quit; kill $P1 $P2 2>/dev/null' EXIT
for port in 8081 8082; do
  for _ in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:$port/healthz && break; sleep 0.1; done
done
sleep 1
signin() { # BASE → the cookie header of a signed-in coach
  rm -f jar
  local page csrf
  page=$(curl -sk -c jar -b jar "$1/login")
  csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -sk -c jar -b jar -o /dev/null --data-urlencode "login=bench-$COACH" \
    --data-urlencode "password=bench-pass-$COACH" --data-urlencode "csrf=$csrf" \
    --data-urlencode "lang=en" "$1/login"
  sed 's/^#HttpOnly_//' jar | awk '!/^#/ && NF>=7 {print $6"="$7}' | paste -sd';' -
}
measure() { # BASE COOKIE
  curl -sk -o /dev/null -w "day: %{http_code} %{time_total}s\n" -H "Cookie: $2" "$1/day"
  echo "-- paced: 200 requests/s for $SECS s, 8 connections (oha, latency corrected)"
  oha --no-tui --insecure -z "${SECS}s" -c 8 -q 200 --latency-correction -H "Cookie: $2" "$1/day" \
    | grep -E "Success rate|50.00%|99.00%|99.90%|\[200\]|\[[3-5][0-9][0-9]\]"
  echo "-- ceiling: 2 threads, 16 connections, $SECS s (wrk)"
  wrk -t2 -c16 -d"${SECS}s" -H "Cookie: $2" "$1/day" | grep -E "Requests/sec|Non-2xx|Latency "
}
echo "== through nginx (https://localhost:8443), two servers"
# Signed in through nginx: a session that either server knows (it is in the database).
cookie=$(signin https://localhost:8443)
measure https://localhost:8443 "$cookie"
echo "requests per server (nginx's access log):"
awk '$3 == "/day" {print $6}' $N/access.log | sort | uniq -c
echo "== one server, no nginx (http://127.0.0.1:8081)"
# The same session, sent straight to one server (a browser would not send its Secure cookie
# without TLS; the load tools do).
measure http://127.0.0.1:8081 "$cookie"
