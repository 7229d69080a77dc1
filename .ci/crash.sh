#!/usr/bin/env bash
# Crash safety: `fika serve` killed with SIGKILL under write load loses no acknowledged write.
#   .ci/crash.sh FIKA_BINARY sqlite|postgres [KILLS] [POSTGRES_ADMIN_URL]
# Coaches record meetings with two next steps each through the HTTP form, from several
# writers at once; a write counts as acknowledged when the server answered it with its
# redirect to the saved page. The server is killed (kill -9) at random moments, KILLS times,
# and started again. Then every acknowledged meeting must be there with both steps and its
# audit row, no meeting may be there without them, the database passes its integrity check
# (SQLite's PRAGMA integrity_check) and `fika audit verify`. Only loopback is used; every
# loop is bounded. Exits non-zero on the first broken promise, saying which.
set -euo pipefail
BIN=$(realpath "$1")
BACKEND=$2
KILLS=${3:-20}
PG_ADMIN=${4:-postgres://postgres@127.0.0.1:5432/postgres}
WRITERS=4
DIR=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
BASE=http://127.0.0.1:$PORT
PID=
WRITER_PIDS=()
PG_DB=fika_crash_$$

cleanup() {
  for w in "${WRITER_PIDS[@]}"; do kill "$w" 2>/dev/null || true; done
  [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
  if [ "$BACKEND" = postgres ]; then psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
fail() { echo "crash safety ($BACKEND): $*" >&2; exit 1; }

case $BACKEND in
  sqlite) DB=$DIR/fika.db ;;
  postgres)
    psql -q "$PG_ADMIN" -c "CREATE DATABASE $PG_DB" >/dev/null
    DB=${PG_ADMIN%/*}/$PG_DB ;;
  *) fail "backend must be sqlite or postgres" ;;
esac
# One SQL query, its rows as lines of |-separated values.
q() {
  if [ "$BACKEND" = sqlite ]; then sqlite3 "$DB" "$1"; else psql -X -A -t -q "$DB" -c "$1"; fi
}

# --- A demo region, and a coach who signs in with a known password ---------------------------
"$BIN" --db "$DB" demo --no-serve >"$DIR/demo.log" 2>&1 || { cat "$DIR/demo.log" >&2; fail "demo"; }
COACH=$(q "SELECT coach_id FROM participant WHERE exited_on IS NULL GROUP BY coach_id ORDER BY count(*) DESC, coach_id LIMIT 1")
mapfile -t PARTICIPANTS < <(q "SELECT participant_id FROM participant WHERE coach_id = '$COACH' AND exited_on IS NULL ORDER BY participant_id")
[ ${#PARTICIPANTS[@]} -gt 0 ] || fail "the demo has no open participant"
PASSWORD=killed-often-$RANDOM-$RANDOM
printf '%s\n' "$PASSWORD" | "$BIN" --db "$DB" user add --name crash --role coach --coach "$COACH" --password-stdin >/dev/null

start() {
  "$BIN" --db "$DB" serve --addr "127.0.0.1:$PORT" >>"$DIR/serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 200); do
    curl -s -o /dev/null --max-time 1 "$BASE/login" && return 0
    kill -0 "$PID" 2>/dev/null || { tail -20 "$DIR/serve.log" >&2; fail "the server did not start"; }
    sleep 0.05
  done
  fail "the server did not answer within 10 s"
}

start
# Sign in once: the session is in the database, so it outlives every kill.
JAR=$DIR/jar
curl -s -c "$JAR" -o "$DIR/login.html" "$BASE/login"
TOKEN=$(grep -o 'name="csrf" value="[^"]*"' "$DIR/login.html" | sed 's/.*value="//;s/"$//')
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "login=crash" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$TOKEN" "$BASE/login"
curl -s -b "$JAR" -o "$DIR/form.html" "$BASE/participants/${PARTICIPANTS[0]}/meeting"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$DIR/form.html" | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$CSRF" ] || fail "could not sign in as the coach"

# One writer: meetings with fresh IDs, one after another, each logged once acknowledged.
writer() {
  local w=$1 n=0 id code p
  while [ -e "$DIR/run" ]; do
    n=$((n + 1))
    id=$(printf 'M-%02x%010x' "$w" "$n")
    p=${PARTICIPANTS[$(((w + n) % ${#PARTICIPANTS[@]}))]}
    code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 5 -b "$JAR" \
      --data "csrf=$CSRF&once=$id&place=office&minutes=30&note=crash+safety+$id&step0_text=first+step+$id&step0_owner=participant&step0_due=14&step1_text=second+step+$id&step1_owner=coach&step1_due=next" \
      "$BASE/participants/$p/meeting" || true)
    case $code in
      "303 "*"saved=meeting"*) echo "$id" >>"$DIR/acked.$w" ;;
      "000 "*) sleep 0.02 ;; # the server is down: not acknowledged
      *) echo "$id: unexpected answer $code" >>"$DIR/unexpected" ;;
    esac
  done
}

touch "$DIR/run"
for w in $(seq "$WRITERS"); do
  writer "$w" &
  WRITER_PIDS+=($!)
done
for k in $(seq "$KILLS"); do
  # Between 0.2 and 1.2 s of load, then SIGKILL mid-write.
  sleep "$(printf '0.%03d' $((RANDOM % 1000)))"
  sleep 0.2
  kill -9 "$PID"
  wait "$PID" 2>/dev/null || true
  start
done
sleep 0.5
rm "$DIR/run"
for w in "${WRITER_PIDS[@]}"; do wait "$w"; done
WRITER_PIDS=()
kill -9 "$PID"
wait "$PID" 2>/dev/null || true
PID=

# --- Checks -------------------------------------------------------------------------------
if [ -s "$DIR/unexpected" ]; then
  head "$DIR/unexpected" >&2
  fail "$(wc -l <"$DIR/unexpected") writes got an answer that is neither a save nor a refused connection"
fi
cat "$DIR"/acked.* 2>/dev/null | sort -u >"$DIR/acked"
ACKED=$(wc -l <"$DIR/acked")
[ "$ACKED" -gt 0 ] || fail "no write was acknowledged"
q "SELECT meeting_id FROM meeting WHERE note LIKE 'crash safety %' ORDER BY meeting_id" | sort -u >"$DIR/stored"
LOST=$(comm -23 "$DIR/acked" "$DIR/stored")
[ -z "$LOST" ] || fail "acknowledged meetings lost: $(echo "$LOST" | wc -l) of $ACKED, e.g. $(echo "$LOST" | head -3 | tr '\n' ' ')"
HALF=$(q "SELECT m.meeting_id FROM meeting m LEFT JOIN next_step s ON s.meeting_id = m.meeting_id
          WHERE m.note LIKE 'crash safety %' GROUP BY m.meeting_id HAVING count(s.step_id) <> 2")
[ -z "$HALF" ] || fail "meetings without both their steps: $HALF"
STRAY=$(q "SELECT step_id FROM next_step WHERE text LIKE '% step M-%'
           AND meeting_id NOT IN (SELECT meeting_id FROM meeting)")
[ -z "$STRAY" ] || fail "steps without their meeting: $STRAY"
UNAUDITED=$(q "SELECT m.meeting_id FROM meeting m WHERE m.note LIKE 'crash safety %' AND NOT EXISTS
               (SELECT 1 FROM audit a WHERE a.action = 'meeting.record' AND a.participant_id = m.participant_id
                AND (a.detail = 'meeting ' || m.meeting_id OR a.detail LIKE 'meeting ' || m.meeting_id || ';%'))")
[ -z "$UNAUDITED" ] || fail "meetings without their audit row: $UNAUDITED"
STORED=$(wc -l <"$DIR/stored")
if [ "$BACKEND" = sqlite ]; then
  CHECK=$(q "PRAGMA integrity_check")
  [ "$CHECK" = ok ] || fail "PRAGMA integrity_check: $CHECK"
  FK=$(q "PRAGMA foreign_key_check")
  [ -z "$FK" ] || fail "PRAGMA foreign_key_check: $FK"
fi
"$BIN" --db "$DB" audit verify >"$DIR/verify.log" 2>&1 || { cat "$DIR/verify.log" >&2; fail "fika audit verify"; }
echo "crash safety ($BACKEND): $KILLS kills, $ACKED acknowledged meetings all kept with their steps and audit rows ($STORED stored); integrity and audit chain verified"
