#!/usr/bin/env bash
# infosite side by side with the field, on the same article content, one command:
#
#   bench/compare.sh                 # 3 rounds of 10 s per server
#   DURATION=30s ROUNDS=5 bench/compare.sh
#
# Serves, one at a time and under the same gunicorn (2 sync workers, same flags):
#   infosite with its page cache off, infosite with it on (local-memory cache with
#   the version on the page version board in /dev/shm, and Redis as with several
#   servers), a minimal Wagtail site
#   holding the same article (installed here in its own virtual environment, never
#   a dependency of infosite) and a bare WSGI app returning the exact bytes of
#   infosite's page; then the same page exported with `export_static` and served by
#   nginx. Each is loaded with wrk on loopback, interleaved, round after round;
#   the table shows medians. Also measured: worker memory after the load (RSS,
#   PSS and USS: see worker_memory), the queries of one uncached article page,
#   and the time to save a 30-section article through the admin. Two memory
#   floors are served the same way (bench/floor_site): Django alone, and Django
#   with the apps infosite is built on but none of its own code; what infosite's
#   workers weigh is read against them.
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Debian's wrk and nginx
# (installed with apt-get when missing and run as root), and Redis on 127.0.0.1:6379
# (BENCH_REDIS_URL; without it the Redis row is left out). Databases bench_infosite
# and bench_wagtail (BENCH_INFOSITE_DB, BENCH_WAGTAIL_DB) are dropped and created
# again. Work files go in bench/.work/ (BENCH_WORK), the results in
# bench/results/latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-8791}
NGINX_PORT=${NGINX_PORT:-8792}
WORK=${BENCH_WORK:-$ROOT/bench/.work}
PG=${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
INFOSITE_DB_NAME=${BENCH_INFOSITE_DB:-bench_infosite}
WAGTAIL_DB_NAME=${BENCH_WAGTAIL_DB:-bench_wagtail}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}
SLUG=breast-cancer-recurrence
INFOSITE_PATH=/articles/$SLUG/
GUNICORN_FLAGS=(--config "$ROOT/bench/gunicorn.conf.py" --workers 2 --worker-class sync --bind "127.0.0.1:$PORT"
  --log-level warning --timeout 30)

export SECRET_KEY="benchmark-only-$(date +%s)-not-a-real-secret-key-0123456789"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
export CONN_MAX_AGE=60
unset REDIS_URL EXPORT_DIR DATABASE_REPLICA_URL DEBUG
INFOSITE_DB=$PG/$INFOSITE_DB_NAME
WAGTAIL_DB=$PG/$WAGTAIL_DB_NAME
# Each run files its Redis pages under a version of its own (no page from an
# earlier run, or from a run on other ports, is ever served).
REDIS_CACHE_VERSION=$(date +%s)

say() { printf '\n== %s\n' "$*" >&2; }

# --- Tools -------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "Installing ${missing[*]}"
    apt-get install -y -q "${missing[@]}" >/dev/null
  else
    echo "Needed: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for port in "$PORT" "$NGINX_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "Port $port is in use: set PORT or NGINX_PORT." >&2
    exit 1
  fi
done
mkdir -p "$WORK" bench/results
START_LOAD=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$START_LOAD" -v c="$(nproc)" 'BEGIN {exit !(l > c / 2)}'; then
  echo "Note: the machine is busy (load average $START_LOAD): figures will be noisy." >&2
fi

# --- infosite ----------------------------------------------------------------
say "infosite: bench_infosite database with the demo content"
make -s install
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $INFOSITE_DB_NAME" \
  -c "CREATE DATABASE $INFOSITE_DB_NAME" 2>&1 | grep -v NOTICE || true
DATABASE_URL=$INFOSITE_DB .venv/bin/python manage.py migrate -v0
DATABASE_URL=$INFOSITE_DB .venv/bin/python manage.py load_demo -v0 >/dev/null
DATABASE_URL=$INFOSITE_DB .venv/bin/python manage.py collectstatic --no-input -v0
DATABASE_URL=$INFOSITE_DB .venv/bin/python bench/export_article.py "$SLUG" "$WORK/article.json"

# --- Wagtail -----------------------------------------------------------------
say "Wagtail: its own virtual environment in $WORK/wagtail-venv"
if ! cmp -s bench/wagtail-requirements.txt "$WORK/wagtail-venv/requirements.txt"; then
  rm -rf "$WORK/wagtail-venv"
  .venv/bin/python -m venv "$WORK/wagtail-venv"
  "$WORK/wagtail-venv/bin/python" -m pip install -q -r bench/wagtail-requirements.txt \
    2> >(grep -v "^WARNING: Location" >&2)
  cp bench/wagtail-requirements.txt "$WORK/wagtail-venv/requirements.txt"
fi
WAGTAIL_PYTHON=$WORK/wagtail-venv/bin/python
WAGTAIL_VERSION=$("$WAGTAIL_PYTHON" -c "import wagtail; print(wagtail.__version__)")
rm -rf "$WORK/wagtail_site"
cp -r bench/wagtail_site "$WORK/wagtail_site"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $WAGTAIL_DB_NAME" \
  -c "CREATE DATABASE $WAGTAIL_DB_NAME" 2>&1 | grep -v NOTICE || true
WAGTAIL_PATH=$(
  cd "$WORK/wagtail_site"
  export DATABASE_URL=$WAGTAIL_DB
  "$WAGTAIL_PYTHON" manage.py makemigrations pages -v0
  "$WAGTAIL_PYTHON" manage.py migrate -v0
  "$WAGTAIL_PYTHON" manage.py import_article "$WORK/article.json"
)

# --- Servers -----------------------------------------------------------------
server=
stop() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}
trap stop EXIT

start() {  # start NAME: serve one of the contenders on $PORT
  case $1 in
    infosite-uncached | infosite-cached)
      [ "$1" = infosite-cached ] && cache=1 || cache=0
      PAGE_CACHE=$cache DATABASE_URL=$INFOSITE_DB \
        .venv/bin/gunicorn infosite.wsgi "${GUNICORN_FLAGS[@]}" &
      path=$INFOSITE_PATH ;;
    infosite-cached-redis)
      PAGE_CACHE=1 DATABASE_URL=$INFOSITE_DB REDIS_URL=$REDIS \
        CACHE_KEY_PREFIX=bench-$PORT CACHE_VERSION=$REDIS_CACHE_VERSION \
        .venv/bin/gunicorn infosite.wsgi "${GUNICORN_FLAGS[@]}" &
      path=$INFOSITE_PATH ;;
    wagtail)
      (cd "$WORK/wagtail_site" && DATABASE_URL=$WAGTAIL_DB \
        exec "$WORK/wagtail-venv/bin/gunicorn" benchsite.wsgi "${GUNICORN_FLAGS[@]}") &
      path=$WAGTAIL_PATH ;;
    django-floor | stack-floor)
      (cd bench/floor_site && FLOOR=${1%-floor} DATABASE_URL=$INFOSITE_DB \
        STATIC_ROOT=$ROOT/staticfiles exec "$ROOT/.venv/bin/gunicorn" floor.wsgi "${GUNICORN_FLAGS[@]}") &
      path=$INFOSITE_PATH ;;
    bare-wsgi)
      BENCH_PAGE=$WORK/page.html \
        .venv/bin/gunicorn --chdir bench bare_wsgi:application "${GUNICORN_FLAGS[@]}" &
      path=$INFOSITE_PATH ;;
  esac
  server=$!
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT$path" && break
    sleep 0.2
  done
  for _ in $(seq 20); do  # both workers warm
    curl -sf -o "$WORK/last.html" -D "$WORK/last.headers" "http://127.0.0.1:$PORT$path"
  done
  grep -q "<h1>Breast cancer recurrence</h1>" "$WORK/last.html" ||
    { echo "$1 did not serve the article" >&2; exit 1; }
  if [ "$1" = infosite-cached ] || [ "$1" = infosite-cached-redis ]; then
    grep -qi "^x-page-cache: hit" "$WORK/last.headers" ||
      { echo "The page cache did not answer" >&2; exit 1; }
  fi
  if [ "$1" = infosite-uncached ]; then
    grep -qi "^x-page-cache" "$WORK/last.headers" &&
      { echo "The page cache answered with PAGE_CACHE=0" >&2; exit 1; }
  fi
  true
}

load() {  # load URL: print requests per second, fail on errors
  local out
  # A 10 s timeout, not wrk's 2 s: on a busy machine the slowest server's
  # queue passes 2 s without any request failing.
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s "$1")
  if grep -qE "Non-2xx|Socket errors: connect [1-9]|read [1-9]|timeout [1-9]" <<<"$out"; then
    echo "Errors under load at $1:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

worker_memory() {  # the mean RSS, PSS and USS of the server's workers, in MB
  # RSS counts every page a worker maps, shared ones (libraries, what the master
  # loaded) in full; PSS counts a shared page's share; USS only the worker's own
  # pages: what a worker more or less costs.
  local pid
  for pid in $(pgrep -P "$server"); do
    awk '/^Rss:/ {r = $2} /^Pss:/ {p = $2} /^Private_(Clean|Dirty):/ {u += $2}
      END {print r, p, u}' "/proc/$pid/smaps_rollup"
  done | awk '{r += $1; p += $2; u += $3; n++}
    END {printf "%.1f %.1f %.1f", r / n / 1024, p / n / 1024, u / n / 1024}'
}

# The exact bytes of infosite's page, for the bare WSGI app.
start infosite-uncached
cp "$WORK/last.html" "$WORK/page.html"
stop

say "nginx: the exported site on port $NGINX_PORT"
rm -rf "$WORK/export" "$WORK/nginx"
DATABASE_URL=$INFOSITE_DB .venv/bin/python manage.py export_static "$WORK/export" \
  --base-url "http://127.0.0.1:$NGINX_PORT" >/dev/null
mkdir -p "$WORK/nginx"
# Workers run as whoever runs this script, so they can read the export.
cat >"$WORK/nginx/nginx.conf" <<EOF
user $(id -un) $(id -gn);
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/export;
    index index.html;
  }
}
EOF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -e "$WORK/nginx/error.log" \
  2> >(grep -v 'the "user" directive makes sense only' >&2)
trap 'stop; kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true' EXIT
sleep 0.5
curl -sf "http://127.0.0.1:$NGINX_PORT$INFOSITE_PATH" | grep -q "<h1>Breast cancer recurrence</h1>" ||
  { echo "nginx did not serve the exported article" >&2; exit 1; }

# --- Load, interleaved -------------------------------------------------------
CONTENDERS=(infosite-uncached infosite-cached infosite-cached-redis wagtail bare-wsgi
  django-floor stack-floor)
if ! .venv/bin/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" \
  "$REDIS" 2>/dev/null; then
  echo "No Redis at $REDIS: the Redis row is left out." >&2
  CONTENDERS=(infosite-uncached infosite-cached wagtail bare-wsgi django-floor stack-floor)
fi
declare -A RPS RSS PSS USS
for round in $(seq "$ROUNDS"); do
  for name in "${CONTENDERS[@]}"; do
    start "$name"
    say "round $round/$ROUNDS: $name ($DURATION)"
    RPS[$name]+="$(load "http://127.0.0.1:$PORT$path") "
    read -r rss pss uss <<<"$(worker_memory)"
    RSS[$name]+="$rss " PSS[$name]+="$pss " USS[$name]+="$uss "
    stop
  done
  say "round $round/$ROUNDS: nginx ($DURATION)"
  RPS[nginx]+="$(load "http://127.0.0.1:$NGINX_PORT$INFOSITE_PATH") "
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {
  if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
paired() {  # paired A B: the median of the round-by-round ratios A / B
  local a=(${RPS[$1]}) b=(${RPS[$2]}) i out=""
  for i in "${!a[@]}"; do out+="$(ratio "${a[$i]}" "${b[$i]}") "; done
  median <<<"$out"
}

# --- Queries and the admin save ---------------------------------------------
say "Queries of one uncached article page; a 30-section article saved in the admin"
QUERIES_INFOSITE=$(DATABASE_URL=$INFOSITE_DB .venv/bin/python bench/profile_article.py --queries)
QUERIES_WAGTAIL=$(
  cd "$WORK/wagtail_site" && DATABASE_URL=$WAGTAIL_DB "$WAGTAIL_PYTHON" - "$WAGTAIL_PATH" <<'EOF'
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
client.get(sys.argv[1])
with CaptureQueriesContext(connection) as queries:
    assert client.get(sys.argv[1]).status_code == 200
print(len(queries))
EOF
)
SAVE_MS=$(DATABASE_URL=$INFOSITE_DB .venv/bin/python bench/admin_save.py 5)

say "In-process time per request (fastest of 7 batches)"
inprocess() {  # inprocess infosite|wagtail [PAGE_CACHE [REQUESTS [REDIS_URL]]]
  if [ "$1" = infosite ]; then
    PAGE_CACHE=$2 DATABASE_URL=$INFOSITE_DB DJANGO_SETTINGS_MODULE=infosite.settings \
      REDIS_URL=${4:-} CACHE_KEY_PREFIX=bench-$PORT CACHE_VERSION=$REDIS_CACHE_VERSION \
      .venv/bin/python bench/inprocess.py "$INFOSITE_PATH" "${3:-300}"
  else
    (cd "$WORK/wagtail_site" && DATABASE_URL=$WAGTAIL_DB \
      DJANGO_SETTINGS_MODULE=benchsite.settings \
      "$WAGTAIL_PYTHON" "$ROOT/bench/inprocess.py" "$WAGTAIL_PATH" 300)
  fi
}
MS_UNCACHED=$(inprocess infosite 0)
MS_WAGTAIL=$(inprocess wagtail)
MS_CACHED=$(inprocess infosite 1 3000)
MS_CACHED_REDIS=n/a
[ -n "${RPS[infosite-cached-redis]:-}" ] && MS_CACHED_REDIS=$(inprocess infosite 1 3000 "$REDIS")

# --- The table ---------------------------------------------------------------
declare -A MED MEM
for name in "${CONTENDERS[@]}" nginx; do
  MED[$name]=$(median <<<"${RPS[$name]}")
done
for name in infosite-uncached wagtail django-floor stack-floor; do
  MEM[$name]=$(median <<<"${RSS[$name]}")
  MEM[$name-pss]=$(median <<<"${PSS[$name]}")
  MEM[$name-uss]=$(median <<<"${USS[$name]}")
done
pass() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
  ok = (op == ">=") ? v >= t : (op == "<=") ? v <= t : v < t; print ok ? "met" : "not met" }'; }

UNCACHED_VS_WAGTAIL=$(paired infosite-uncached wagtail)
CACHED_VS_BARE=$(paired infosite-cached bare-wsgi)
CACHED_REDIS_VS_BARE=n/a
[ -n "${RPS[infosite-cached-redis]:-}" ] && CACHED_REDIS_VS_BARE=$(paired infosite-cached-redis bare-wsgi)
NGINX_VS_BARE=$(paired nginx bare-wsgi)
INPROCESS_RATIO=$(ratio "$MS_WAGTAIL" "$MS_UNCACHED")
MEMORY_RATIO=$(ratio "${MEM[infosite-uncached]}" "${MEM[wagtail]}")
PSS_RATIO=$(ratio "${MEM[infosite-uncached-pss]}" "${MEM[wagtail-pss]}")
USS_RATIO=$(ratio "${MEM[infosite-uncached-uss]}" "${MEM[wagtail-uss]}")
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
CORES=$(nproc)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
CODE=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || CODE="$CODE with uncommitted changes"

{
  echo "# infosite side by side ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "Machine: $CPU, $CORES cores (load average $START_LOAD at the start, $LOAD at the end)."
  echo "infosite at $CODE."
  echo "Same article (\"Breast cancer recurrence\", $(grep -c '"heading"' "$WORK/article.json") sections), PostgreSQL 15 on"
  echo "loopback, gunicorn with ${GUNICORN_FLAGS[*]:2:4} for every Python server,"
  echo "Wagtail $WAGTAIL_VERSION; wrk -t2 -c$CONNECTIONS for $DURATION each, interleaved, median of $ROUNDS rounds."
  echo
  echo "| Server | Requests/s (median) | Each round |"
  echo "|---|---|---|"
  for name in "${CONTENDERS[@]}" nginx; do
    label=$name
    [ "$name" = nginx ] && label="nginx, exported page"
    rounds=$(for value in ${RPS[$name]}; do printf '%.0f, ' "$value"; done)
    echo "| $label | $(printf '%.0f' "${MED[$name]}") | ${rounds%, } |"
  done
  echo
  echo "Ratios of requests/s are the median of the round-by-round ratios (each pair"
  echo "measured minutes apart at most, so a busy machine weighs on both)."
  echo
  echo "| Measure | Value | Target | |"
  echo "|---|---|---|---|"
  echo "| infosite uncached / Wagtail, requests/s | $UNCACHED_VS_WAGTAIL× | ≥ 2.5× | $(pass "$UNCACHED_VS_WAGTAIL" 2.5 '>=') |"
  echo "| infosite cached (local memory, version on the board) / bare WSGI, requests/s | $CACHED_VS_BARE× | ≥ 0.5× | $(pass "$CACHED_VS_BARE" 0.5 '>=') |"
  if [ "$CACHED_REDIS_VS_BARE" != n/a ]; then
    echo "| infosite cached (Redis) / bare WSGI, requests/s | $CACHED_REDIS_VS_BARE× | ≥ 0.5× | $(pass "$CACHED_REDIS_VS_BARE" 0.5 '>=') |"
  fi
  echo "| nginx exported page / bare WSGI, requests/s | $NGINX_VS_BARE× | static speed | |"
  echo "| In-process time per request: Wagtail / infosite uncached | $MS_WAGTAIL ms / $MS_UNCACHED ms = $INPROCESS_RATIO× | | |"
  echo "| In-process time per request, infosite cached (local memory; Redis) | $MS_CACHED ms; $MS_CACHED_REDIS ms | | |"
  echo "| Worker memory after load (resident, RSS), infosite / Wagtail | ${MEM[infosite-uncached]} MB / ${MEM[wagtail]} MB = $MEMORY_RATIO× | ≤ 0.5× | $(pass "$MEMORY_RATIO" 0.5 '<=') |"
  echo "| Worker memory after load (proportional, PSS), infosite / Wagtail | ${MEM[infosite-uncached-pss]} MB / ${MEM[wagtail-pss]} MB = $PSS_RATIO× | ≤ 0.5× | $(pass "$PSS_RATIO" 0.5 '<=') |"
  echo "| Worker memory after load (its own, USS), infosite / Wagtail | ${MEM[infosite-uncached-uss]} MB / ${MEM[wagtail-uss]} MB = $USS_RATIO× | ≤ 0.5× | $(pass "$USS_RATIO" 0.5 '<=') |"
  for floor in django-floor stack-floor; do
    [ "$floor" = django-floor ] && label="Django alone" || label="Django with the apps infosite is built on"
    echo "| Memory floor, $label: RSS / PSS / USS against Wagtail | ${MEM[$floor]} / ${MEM[$floor-pss]} / ${MEM[$floor-uss]} MB = $(ratio "${MEM[$floor]}" "${MEM[wagtail]}")× / $(ratio "${MEM[$floor-pss]}" "${MEM[wagtail-pss]}")× / $(ratio "${MEM[$floor-uss]}" "${MEM[wagtail-uss]}")× | | |"
  done
  echo "| Queries, uncached article page | infosite $QUERIES_INFOSITE, Wagtail $QUERIES_WAGTAIL | ≤ 3 | $(pass "$QUERIES_INFOSITE" 3 '<=') |"
  echo "| Saving a 30-section article in the admin (median of 5) | $SAVE_MS ms | < 300 ms | $(pass "$SAVE_MS" 300 '<') |"
} >bench/results/latest.md
cat bench/results/latest.md
