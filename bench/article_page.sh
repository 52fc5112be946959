#!/usr/bin/env bash
# Throughput and latency of public pages: gunicorn in production mode on the local
# PostgreSQL, demo content loaded, wrk on loopback. Results go in docs/performance.md.
#
#   bench/article_page.sh            # 4 workers, 30 s per page
#   WORKERS=2 DURATION=10s bench/article_page.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8799}
WORKERS=${WORKERS:-4}
DURATION=${DURATION:-30s}
DB=infosite_bench
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export SECRET_KEY="benchmark-only-$(date +%s)-not-a-real-secret-key-0123456789"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
make -s install
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_demo -v0
.venv/bin/python manage.py collectstatic --no-input -v0

.venv/bin/gunicorn infosite.wsgi --config bench/gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --log-level warning &
server=$!
trap 'kill $server; wait $server 2>/dev/null' EXIT
sleep 3

for path in /articles/breast-cancer-recurrence/ /topics/breast-cancer/ / /sitemap.xml; do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT$path"  # warm the cache
  echo "== $path"
  wrk -t2 -c16 -d"$DURATION" --latency "http://127.0.0.1:$PORT$path" |
    grep -E "Requests/sec|Latency  |50%|99%|Non-2xx"
done
