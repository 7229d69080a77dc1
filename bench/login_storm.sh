#!/usr/bin/env bash
# Memory of `fika serve` under a storm of wrong sign-ins: N sign-ins sent at once, each from
# its own address (behind a proxy) at its own unknown account, so that no sign-in limit
# applies and only the bound on password checks holds memory down.
#   bench/login_storm.sh [FIKA_BINARY] [N]
# Prints the server's resident memory before, its peak, and after, and the answers' statuses.
set -euo pipefail
BIN=${1:-target/release/fika}
N=${2:-100}
DIR=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
PORT=$((20000 + RANDOM % 20000))
"$BIN" --db "$DIR/fika.db" serve --addr 127.0.0.1:$PORT --behind-proxy >"$DIR/out" 2>&1 &
PID=$!
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:$PORT/login && break; sleep 0.2; done
rss() { awk -v k="$1" '$1 == k":" {print $2 / 1024 " MB"}' /proc/$PID/status; }
curl -s -c "$DIR/jar" -o "$DIR/login.html" http://127.0.0.1:$PORT/login
TOKEN=$(grep -o 'name="csrf" value="[^"]*"' "$DIR/login.html" | sed 's/.*value="//;s/"$//')
echo "before: $(rss VmRSS)"; echo
seq "$N" | xargs -P "$N" -I{} curl -s -o /dev/null -w "%{http_code}\n" \
  -H "Cookie: fika_login=$TOKEN" -H "X-Forwarded-For: 10.7.0.{}" \
  -d "login=nobody{}&password=wrong+guess&csrf=$TOKEN" http://127.0.0.1:$PORT/login \
  | sort | uniq -c | sed 's/^ */answers: /'
sleep 1
echo "peak:   $(rss VmHWM)"
echo "after:  $(rss VmRSS)"
