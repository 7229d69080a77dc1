#!/bin/bash
# The every-program outcomes page of a quarter (/reports/outcomes), its XLSX and its CSV, as an
# evaluator fetches them, five times each (curl: status, seconds, bytes). The first fetch of a
# quarter computes its figures and keeps them (store/src/figures.rs); later ones read them.
# usage: outcomes_page.sh FIKA_BIN DB_URL PORT
FIKA=$1; DB=$2; PORT=$3; ADDR=127.0.0.1:$PORT
W=$(mktemp -d); cd $W
echo "evaluator-timing-secret-9" | $FIKA --db "$DB" user add --name bench-eval --role evaluator --password-stdin >/dev/null 2>&1 || true
$FIKA --db "$DB" serve --addr $ADDR > serve.log 2>&1 &
PID=$!; trap 'kill $PID' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null http://$ADDR/login && break; sleep 0.1; done
page=$(curl -s -c jar -b jar http://$ADDR/login)
csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -c jar -b jar -o /dev/null -w "login %{http_code}\n" --data-urlencode "login=bench-eval" --data-urlencode "password=evaluator-timing-secret-9" --data-urlencode "csrf=$csrf" --data-urlencode "lang=en" http://$ADDR/login
for path in "/reports/outcomes?quarter=2025Q2" "/reports/outcomes.xlsx?quarter=2025Q2" "/reports/outcomes.csv?quarter=2025Q2"; do
  for i in 1 2 3 4 5; do curl -s -b jar -o out -w "%{http_code} %{time_total} %{size_download}\n" "http://$ADDR$path"; done | awk -v p="$path" '{print p, $0}'
done
